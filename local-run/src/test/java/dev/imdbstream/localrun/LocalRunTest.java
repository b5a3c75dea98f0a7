package dev.imdbstream.localrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.imdbstream.common.kafka.Json;

class LocalRunTest {

    @Test
    void tablesComeFromTheRunsCsvWithGainsPairedBySeed(@TempDir Path dir) throws Exception {
        String header = "job_id,variant,subset_size,seed,status,epochs_run,best_epoch,best_val_loss,test_n,test_loss,"
                + "test_accuracy,roc_auc,average_precision,precision_neg,recall_neg,f1_neg,precision_pos,recall_pos,"
                + "f1_pos,tn,fp,fn,tp,train_seconds,model_id,error\n";
        StringBuilder csv = new StringBuilder(header);
        double[][] accuracy = {{0.60, 0.62, 0.64}, {0.70, 0.73, 0.76}};
        String[] variants = {"random", "glove"};
        for (int v = 0; v < 2; v++) {
            for (int s = 0; s < 3; s++) {
                csv.append("e.").append(variants[v]).append(".n100.s").append(s + 1).append(',').append(variants[v])
                        .append(",100,").append(s + 1).append(",SUCCEEDED,5,3,0.6,25000,0.6,").append(accuracy[v][s])
                        .append(",0.8,0.8,,,,,,,1,1,1,1,10.0,m,\n");
            }
        }
        csv.append("e.glove.n100.s4,glove,100,4,FAILED,2,0,,,,,,,,,,,,,,,,,3.0,,\"NaN loss, epoch 2\"\n");
        Files.writeString(dir.resolve("runs.csv"), csv);

        String tables = LocalRun.tablesOf(dir);

        assertThat(tables).contains("| labelled reviews | random | glove |")
                .contains("| 100 | 0.620 [0.570, 0.670] | 0.730 [0.655, 0.805] |")
                .contains("| 100 | 0.6200 ± 0.0200 [0.5703, 0.6697] (3 seeds) | 0.7300 ± 0.0300 [0.6555, 0.8045] (3 seeds), 1 failed |")
                .contains("| subset size | glove − random |").contains("| 100 | +0.1100 ± 0.0100 [+0.0852, +0.1348] (3 seeds) |")
                .contains("| subset size | random − glove |");
        assertThat(LocalRun.tables(java.util.List.of(dir.resolve("missing").toString()))).isEqualTo(1);
        assertThat(LocalRun.tables(java.util.List.of("--against"))).isEqualTo(2);
        assertThat(LocalRun.tablesOf(dir, java.util.List.of("glove"))).contains("| subset size | random − glove |")
                .doesNotContain("glove − random");
    }

    @Test
    void experimentRequestCarriesTheListsAndOnlyTheGivenHyperparameters() {
        JsonNode body = LocalRun.experimentRequest("--experiment", "local-1", "--sizes", "100,500", "--variants",
                "random,glove-frozen", "--seeds", "1,2,3", "--epochs", "2", "--learning-rate", "1e-4", "--balanced",
                "--test-size", "500");

        assertThat(body.toString()).isEqualTo("{\"experimentId\":\"local-1\",\"sizes\":[100,500],"
                + "\"variants\":[\"random\",\"glove-frozen\"],\"seeds\":[1,2,3],"
                + "\"hyperparameters\":{\"maxEpochs\":2,\"learningRate\":1.0E-4,\"balancedSubsets\":true,\"testSize\":500}}");
    }

    @Test
    void theGridOfARequestAndOfAnExperimentDetailCompareAsSets() throws Exception {
        JsonNode request = LocalRun.experimentRequest("--experiment", "e", "--sizes", "100,500", "--variants",
                "random,glove", "--seeds", "1,2");
        JsonNode detail = Json.MAPPER.readTree("{\"runs\":["
                + "{\"variant\":\"glove\",\"subsetSize\":500,\"seed\":2},{\"variant\":\"random\",\"subsetSize\":100,\"seed\":1},"
                + "{\"variant\":\"glove\",\"subsetSize\":100,\"seed\":1},{\"variant\":\"random\",\"subsetSize\":500,\"seed\":1},"
                + "{\"variant\":\"glove\",\"subsetSize\":100,\"seed\":2},{\"variant\":\"random\",\"subsetSize\":100,\"seed\":2},"
                + "{\"variant\":\"glove\",\"subsetSize\":500,\"seed\":1},{\"variant\":\"random\",\"subsetSize\":500,\"seed\":2}]}");

        assertThat(LocalRun.grid(request)).hasSize(8).isEqualTo(LocalRun.grid(detail));
        assertThat(LocalRun.grid(LocalRun.experimentRequest("--experiment", "e", "--sizes", "100", "--variants",
                "random,glove", "--seeds", "1,2"))).isNotEqualTo(LocalRun.grid(detail));
    }

    @Test
    void experimentRequestWithoutHyperparametersSendsAnEmptyObject() {
        JsonNode body = LocalRun.experimentRequest("--experiment", "e", "--sizes", "100", "--variants", "random",
                "--seeds", "1");

        assertThat(body.path("hyperparameters").isObject()).isTrue();
        assertThat(body.path("hyperparameters").size()).isZero();
        assertThat(body.path("sizes").get(0).isIntegralNumber()).isTrue();
    }

    @Test
    void experimentRequestRejectsWhatTheTrainerCouldNotRead() {
        assertThatThrownBy(() -> LocalRun.experimentRequest("--sizes", "100,many")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> LocalRun.experimentRequest("--epochs")).hasMessageContaining("no value after --epochs");
        assertThatThrownBy(() -> LocalRun.experimentRequest("--color", "red")).hasMessageContaining("unknown option");
    }

    @Test
    void requestWritesTheBodyToTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("experiment-request.json");

        assertThat(LocalRun.request(file, new String[] {"--experiment", "e", "--sizes", "100", "--variants", "glove",
            "--seeds", "1", "--patience", "5"})).isZero();

        JsonNode written = Json.MAPPER.readTree(Files.readString(file));
        assertThat(written.path("experimentId").asText()).isEqualTo("e");
        assertThat(written.path("hyperparameters").path("patience").asInt()).isEqualTo(5);
    }

    @Test
    void runLinesShowEachState() throws Exception {
        JsonNode running = Json.MAPPER.readTree("""
                {"jobId":"j1","variant":"glove","subsetSize":100,"seed":1,"state":"RUNNING","epoch":3,
                 "latest":{"epoch":3,"maxEpochs":20,"trainLoss":0.61234,"valLoss":0.65,"trainAccuracy":0.7,
                           "valAccuracy":0.66,"seconds":12.4,"improved":true}}""");
        JsonNode done = Json.MAPPER.readTree("""
                {"jobId":"j2","variant":"random","subsetSize":500,"seed":2,"state":"SUCCEEDED","testAccuracy":0.71,
                 "testRocAuc":0.8,"bestEpoch":4,"epoch":9,"trainSeconds":75}""");
        JsonNode failed = Json.MAPPER.readTree("""
                {"jobId":"j3","variant":"random","subsetSize":100,"seed":1,"state":"FAILED","error":"out of memory"}""");

        assertThat(LocalRun.runLine(running)).isEqualTo("glove  n=100  seed 1  epoch  3/20  loss 0.612/0.650  "
                + "accuracy 0.700/0.660 (train/val)  12 s/epoch  best so far");
        assertThat(LocalRun.runLine(done))
                .isEqualTo("random n=500  seed 2  done: test accuracy 0.710, ROC-AUC 0.800, best epoch 4 of 9, 1m15s");
        assertThat(LocalRun.runLine(failed)).isEqualTo("random n=100  seed 1  FAILED: out of memory");
    }

    @Test
    void etaIsTheEpochsLeftAtTheMeasuredSpeed() throws Exception {
        JsonNode detail = Json.MAPPER.readTree("""
                {"summary":{"running":1},"hyperparameters":{"maxEpochs":10},
                 "runs":[{"subsetSize":100,"state":"RUNNING","epoch":4,"latest":{"seconds":10}},
                         {"subsetSize":200,"state":"QUEUED","epoch":0}]}""");

        // 0.1 s per example and epoch: 6 epochs x 100 + 10 epochs x 200 examples
        assertThat(LocalRun.eta(detail)).isEqualTo(", ETA at most 4m20s (less with early stopping)");
    }

    @Test
    void formatting() throws Exception {
        assertThat(LocalRun.clock(59.4)).isEqualTo("59s");
        assertThat(LocalRun.clock(61)).isEqualTo("1m01s");
        assertThat(LocalRun.num(Json.MAPPER.readTree("0.12345"))).isEqualTo("0.123");
        assertThat(LocalRun.num(Json.MAPPER.readTree("null"))).isEqualTo("-");
        Map<String, int[]> perModel = new LinkedHashMap<>();
        perModel.put("glove n=100 (m1)", new int[] {3, 4});
        assertThat(LocalRun.accuracies(perModel)).isEqualTo("glove n=100 0.750");
        assertThat(LocalRun.accuracies(Map.of())).isEqualTo("-");
    }

    @Test
    void earlierUnfinishedExperimentsAreNamedWithHowToCancelThem() throws Exception {
        // The shape of GET /experiments: this experiment, one left queued by an interrupted run, one cancelled, one done.
        JsonNode list = Json.MAPPER.readTree("""
                [{"experimentId":"local-b","queued":4,"running":0,"finished":false,"experimentCancelled":false},
                 {"experimentId":"local-a","queued":2,"running":2,"finished":false,"experimentCancelled":false},
                 {"experimentId":"local-c","queued":0,"running":1,"finished":false,"experimentCancelled":true},
                 {"experimentId":"local-d","queued":0,"running":0,"finished":true,"experimentCancelled":false}]""");

        assertThat(LocalRun.earlierExperiments(list, "local-b", "http://127.0.0.1:8082")).containsExactly(
                "note: experiment local-a, started before this one, still has 2 runs queued and 2 running: the trainer"
                        + " runs them beside this experiment's (cancel it: curl -X DELETE"
                        + " http://127.0.0.1:8082/experiments/local-a)");
    }
}
