package dev.imdbstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

import dev.imdbstream.common.kafka.JsonSerde;
import dev.imdbstream.common.schema.ModelArtifact;

class ModelArtifactsTest {

    private static final JsonSerde<ModelArtifact> SERDE = new JsonSerde<>(ModelArtifact.class);

    @Test
    void shouldPredictExactlyAsTheTrainedNetworkAfterTheWireRoundTrip() {
        MultiLayerNetwork net = TinyModels.trained(3, 4);
        ModelArtifact artifact = TinyModels.artifact(net, "m-1", 1_000L);
        int[][] sequences = TestData.randomSequences(20, TinyModels.MAX_LEN, 50, 99, 8);

        ServingModel loaded = ServingModel.load(SERDE.fromBytes(SERDE.toBytes(artifact)));

        assertThat(loaded.predict(sequences)).containsExactly(Inference.predict(net, sequences, 0));
        assertThat(loaded.modelId()).isEqualTo("m-1");
        assertThat(loaded.variant()).isEqualTo("random");
        assertThat(loaded.subsetSize()).isEqualTo(100);
        assertThat(loaded.vocabulary().words()).isEqualTo(TinyModels.vocabulary().words());
        assertThat(loaded.artifact().provenance()).containsEntry("codeRevision", "test")
                .containsEntry("net.lstmImpl", "FAST");
    }

    @Test
    void shouldScoreTextWithTheShippedVocabulary() {
        MultiLayerNetwork net = TinyModels.trained(3, 2);
        ServingModel loaded = ServingModel.load(TinyModels.artifact(net, "m-2", 1L));
        String review = "The movie was <br /> GOOD, not awful!";

        double p = loaded.predictText(review);

        int[] expectedIds = TinyModels.vocabulary().encodeText(review);
        assertThat(expectedIds).startsWith(0).endsWith(1, 3, 4, 5, 6, 15, 9);
        assertThat(p).isEqualTo(Inference.predict(net, new int[][] {expectedIds}, 0)[0]);
        assertThat(loaded.predictTexts(List.of(review, review))).containsExactly(p, p);
    }

    @Test
    void shouldWarmUpUntilItsPassesSettleWithinItsBudgetWithoutChangingPredictions() {
        MultiLayerNetwork net = TinyModels.trained(3, 2);
        ServingModel loaded = ServingModel.load(TinyModels.artifact(net, "m-4", 1L));
        int[][] sequences = TestData.randomSequences(5, TinyModels.MAX_LEN, 50, 99, 8);
        double[] before = loaded.predict(sequences);

        ServingModel.WarmUp none = loaded.warmUp(Duration.ZERO, 8);
        ServingModel.WarmUp warm = loaded.warmUp(Duration.ofSeconds(20), 5);
        ServingModel.WarmUp cut = loaded.warmUp(Duration.ofMillis(1), 128);

        assertThat(none.passes()).isZero();
        // Rounds of sizes 1, 2, 3, 4, 5 until three rounds in a row were no faster: a tiny model settles quickly.
        assertThat(warm.settled()).isTrue();
        assertThat(warm.rounds()).isGreaterThanOrEqualTo(4);
        assertThat(warm.passes()).isGreaterThanOrEqualTo(5 * warm.rounds());
        assertThat(warm.took()).isLessThan(Duration.ofSeconds(20));
        assertThat(cut.settled()).isFalse();
        assertThat(cut.took()).isLessThan(Duration.ofSeconds(5));
        assertThat(loaded.predict(sequences)).containsExactly(before);
        assertThatThrownBy(() -> loaded.warmUp(Duration.ofMillis(1), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldLeaveTheUpdaterStateOut() throws IOException {
        byte[] weights = ModelArtifacts.weights(TinyModels.trained(3, 1));

        List<String> entries = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(weights))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                entries.add(e.getName());
            }
        }

        assertThat(entries).contains("configuration.json", "coefficients.bin").doesNotContain("updaterState.bin");
    }

    @Test
    void shouldRejectSequencesTheVocabularyCouldNotHaveProduced() {
        ServingModel loaded = ServingModel.load(TinyModels.artifact(TinyModels.trained(3, 1), "m-3", 1L));

        assertThatThrownBy(() -> loaded.predict(new int[][] {new int[TinyModels.MAX_LEN], {1, 2}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sequence 1");
        int[] outOfRange = new int[TinyModels.MAX_LEN];
        outOfRange[3] = 50;
        assertThatThrownBy(() -> loaded.predict(new int[][] {outOfRange}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token id 50");
    }

    @Test
    void shouldRefuseAnUnknownWeightFormat() {
        ModelArtifact a = TinyModels.artifact(TinyModels.trained(3, 1), "m-4", 1L);
        ModelArtifact other = new ModelArtifact(a.schemaVersion(), a.modelId(), a.variant(), a.subsetSize(), a.seed(),
                a.experimentId(), a.jobId(), a.datasetId(), "onnx-v1", a.preprocessing(), a.words(),
                a.hyperparameters(), a.metrics(), a.provenance(), a.weights(), a.createdAtMs());

        assertThatThrownBy(() -> ServingModel.load(other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("onnx-v1");
    }
}
