package dev.imdbstream.trainer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import dev.imdbstream.common.kafka.Topics;
import dev.imdbstream.common.schema.EpochMetrics;
import dev.imdbstream.common.schema.ModelArtifact;
import dev.imdbstream.common.schema.ReviewEmbedding;
import dev.imdbstream.common.schema.ReviewSequence;
import dev.imdbstream.common.schema.TrainingJob;
import dev.imdbstream.common.schema.TrainingResult;
import dev.imdbstream.common.study.Statistics;
import dev.imdbstream.kafka.LocalKafkaResource;
import dev.imdbstream.model.ServingModel;
import dev.imdbstream.model.sentence.SentenceLogisticModel;
import dev.imdbstream.model.sentence.TfidfSentenceModel;
import dev.imdbstream.model.tfidf.TfidfLogisticModel;
import dev.imdbstream.trainer.config.TrainerConfig;
import dev.imdbstream.trainer.kafka.KafkaClients;
import dev.imdbstream.trainer.process.FailFast;
import dev.imdbstream.trainer.run.Evaluation;
import dev.imdbstream.trainer.study.StudyMetrics;
import dev.imdbstream.trainer.study.StudyView;
import dev.imdbstream.trainer.support.SyntheticData;
import dev.imdbstream.trainer.support.TopicIO;

/**
 * The service end to end through a real broker: experiments published over REST (with the test profile's bearer
 * token), runs trained from synthetic reviews on the data topics, epochs, results and artifacts read back from the
 * topics, the study's gauges replayed from training.results, cancellations, and jobs that must not be trusted.
 * Ordered: later tests build on the first experiment to stay short.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalKafkaResource.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "kafka.bootstrap.servers", value = "{bootstrap}"),
        @ResourceArg(name = "trainer.runs.checkpoint-dir", value = "{dir}/checkpoints"),
        @ResourceArg(name = "trainer.report.dir", value = "{dir}/reports")})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainerServiceTest {

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(6);
    private static final SyntheticData GOOD = new SyntheticData("synthetic-good", 96, 32, 11);
    private static final SyntheticData BAD = new SyntheticData("synthetic-bad", 48, 16, 12);
    private static final Map<String, Object> SMALL = Map.of("maxEpochs", 2, "batchSize", 16, "learningRate", 0.001,
            "validationSize", 32, "testSize", 32);
    /** trainer.api.tokens of the test profile. */
    private static final String TOKEN = "test-token-0123456789abcdef";
    private static TopicIO io;

    @Inject
    KafkaClients clients;
    @Inject
    TrainerConfig config;
    @Inject
    FailFast failFast;

    /** A request of an authenticated caller. */
    private static RequestSpecification writer() {
        return given().header("Authorization", "Bearer " + TOKEN);
    }

    @BeforeAll
    static void publishData() {
        io = new TopicIO(LocalKafkaResource.bootstrapServers());
        GOOD.publish(io);
        BAD.publish(io);
        // A validation review (the last indexes) of the bad data set with a sequence of the wrong length.
        ReviewSequence last = BAD.train().get(47);
        io.send(Topics.TRAIN, last.id(), new ReviewSequence(last.schemaVersion(), last.id(), last.datasetId(),
                last.split(), last.index(), last.label(), last.rating(), new int[] {1, 5, 7}, null, null));
    }

    @AfterAll
    static void close() {
        io.close();
    }

    private static void awaitFinished(String experimentId) {
        await().atMost(RUN_TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> {
            var response = given().get("/experiments/" + experimentId);
            // 404 until the view has read the jobs just published.
            return response.statusCode() == 200 && Boolean.TRUE.equals(response.path("summary.finished"));
        });
    }

    private static List<TrainingResult> results(String experimentId) {
        return io.readAll(Topics.TRAINING_RESULTS).stream().map(ConsumerRecord::value)
                .filter(r -> r.experimentId().equals(experimentId)).toList();
    }

    @Test
    @Order(1)
    void shouldRefuseWritesWithoutAValidBearerToken() {
        given().contentType(ContentType.JSON).body(Map.of("sizes", List.of(32))).post("/experiments")
                .then().statusCode(401).header("WWW-Authenticate", containsString("Bearer"));
        given().header("Authorization", "Bearer not-the-token-0123456789").contentType(ContentType.JSON)
                .body(Map.of("sizes", List.of(32))).post("/experiments").then().statusCode(401);
        given().delete("/experiments/e2e").then().statusCode(401);
        // Reading stays open.
        given().get("/experiments").then().statusCode(200);
        // A body larger than quarkus.http.limits.max-body-size is refused before it is read.
        writer().contentType(ContentType.JSON).body("{\"experimentId\":\"" + "x".repeat(70_000) + "\"}")
                .post("/experiments").then().statusCode(413);
    }

    @Test
    @Order(1)
    void shouldRefuseAnExperimentOnAnUnknownDataSet() {
        writer().contentType(ContentType.JSON).body(Map.of("datasetId", "no-such-data")).post("/experiments")
                .then().statusCode(409).body("error", containsString("no-such-data"));
    }

    @Test
    @Order(2)
    void shouldTrainTwoRunsInParallelEndToEndThroughTheBroker() {
        awaitManifests();
        writer().contentType(ContentType.JSON)
                .body(Map.of("experimentId", "e2e", "datasetId", GOOD.datasetId(), "sizes", List.of(32),
                        "variants", List.of("random", "glove"), "seeds", List.of(1), "hyperparameters", SMALL))
                .post("/experiments").then().statusCode(202).body("jobIds.size()", equalTo(2));
        awaitFinished("e2e");

        List<TrainingResult> results = results("e2e");
        assertThat(results).hasSize(2).allSatisfy(r -> assertThat(r.status()).isEqualTo(TrainingResult.Status.SUCCEEDED));
        List<EpochMetrics> epochs = io.readAll(Topics.TRAINING_METRICS).stream().map(ConsumerRecord::value)
                .filter(m -> m.experimentId().equals("e2e")).toList();
        Map<String, ModelArtifact> models = new java.util.HashMap<>();
        io.readAll(Topics.MODELS).forEach(r -> models.put(r.key(), r.value()));
        int[][] test = GOOD.test().stream().sorted(Comparator.comparingInt(ReviewSequence::index)).limit(32)
                .map(ReviewSequence::tokens).toArray(int[][]::new);
        int[] labels = GOOD.test().stream().sorted(Comparator.comparingInt(ReviewSequence::index)).limit(32)
                .mapToInt(ReviewSequence::label).toArray();
        for (TrainingResult r : results) {
            assertThat(epochs.stream().filter(m -> m.jobId().equals(r.jobId())).map(EpochMetrics::epoch))
                    .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.rangeClosed(1, r.epochsRun()).boxed().toList());
            assertThat(r.test().n()).isEqualTo(32);
            ModelArtifact artifact = models.get(r.modelId());
            assertThat(artifact).as("artifact of %s on models", r.jobId()).isNotNull();
            assertThat(artifact.preprocessing()).isEqualTo(SyntheticData.preprocessing());
            assertThat(artifact.provenance()).containsKeys("codeRevision", "subsetIndexes", "seed", "trainOffsets");
            // The artifact predicts exactly what the run evaluated: the best weights, with its preprocessing.
            double[] p = ServingModel.load(artifact).predict(test);
            var again = Evaluation.testMetrics(p, labels, 200);
            assertThat(again.accuracy()).isEqualTo(r.test().accuracy());
            assertThat(again.loss()).isCloseTo(r.test().loss(), within(1e-6));
            assertThat(again.confusion()).isDeepEqualTo(r.test().confusion());
            assertThat(artifact.metrics().get("testAccuracy")).isEqualTo(r.test().accuracy());
        }

        given().get("/experiments/e2e").then().statusCode(200).body("runs.size()", equalTo(2))
                .body("runs[0].state", equalTo("SUCCEEDED")).body("table.size()", equalTo(2));
        given().get("/experiments").then().statusCode(200).body("find { it.experimentId == 'e2e' }.succeeded", equalTo(2));
        given().get("/experiments/e2e/report").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("comparison.png")).body(containsString("Test accuracy by subset size"));
        given().get("/experiments/e2e/report/comparison.png").then().statusCode(200).contentType("image/png");
        given().get("/experiments/e2e/report/results.csv").then().statusCode(200).body(containsString("32,glove,1,"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("trainer_run_val_loss{experiment=\"e2e\""))
                .body(containsString("trainer_runs_done_total{experiment=\"e2e\""))
                .body(containsString("trainer_runs_in_progress"));
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
        // Both jobs' offsets are committed once their results are out.
        await().atMost(Duration.ofSeconds(30)).until(() -> io.committedLag("imdb-trainer", Topics.TRAINING_JOBS.name()) == 0);
    }

    @Test
    @Order(3)
    void shouldTrainTheSentenceEncoderVariantOnItsReviewVectorsAndNameMissingOnes() {
        // No vectors on imdb.review-embeddings yet: the run fails and says what is missing and how to get it.
        writer().contentType(ContentType.JSON)
                .body(Map.of("experimentId", "novectors", "datasetId", GOOD.datasetId(), "sizes", List.of(32),
                        "variants", List.of("minilm-logreg"), "seeds", List.of(1), "hyperparameters", SMALL))
                .post("/experiments").then().statusCode(202);
        awaitFinished("novectors");
        TrainingResult missing = results("novectors").get(0);
        assertThat(missing.status()).isEqualTo(TrainingResult.Status.FAILED);
        assertThat(missing.error()).contains("imdb.review-embeddings").contains("--sentence-encoder");

        // Vectors whose first value carries the label (as an encoder's direction of sentiment would), the rest noise.
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        List<ReviewSequence> all = new java.util.ArrayList<>(GOOD.train());
        all.addAll(GOOD.test());
        Map<String, float[]> vectors = new java.util.HashMap<>();
        for (ReviewSequence r : all) {
            float[] v = new float[8];
            for (int j = 0; j < v.length; j++) {
                v[j] = (float) random.nextGaussian();
            }
            v[0] += r.label() == 1 ? 1.5f : -1.5f;
            vectors.put(r.split() + "/" + r.index(), v);
            ReviewEmbedding e = ReviewEmbedding.of(GOOD.datasetId(), ReviewEmbedding.MINILM, r, v);
            io.send(Topics.REVIEW_EMBEDDINGS, e.key(), e);
        }
        writer().contentType(ContentType.JSON)
                .body(Map.of("experimentId", "encoder", "datasetId", GOOD.datasetId(), "sizes", List.of(32),
                        "variants", List.of("minilm-logreg", "tfidf-minilm-logreg"), "seeds", List.of(1),
                        "hyperparameters", SMALL))
                .post("/experiments").then().statusCode(202).body("jobIds[0]", equalTo("encoder.minilm-logreg.n32.s1"));
        awaitFinished("encoder");

        TrainingResult r = results("encoder").stream().filter(x -> x.variant().equals("minilm-logreg")).findFirst()
                .orElseThrow();
        assertThat(r.status()).as(r.error()).isEqualTo(TrainingResult.Status.SUCCEEDED);
        Map<String, ModelArtifact> models = new java.util.HashMap<>();
        io.readAll(Topics.MODELS).forEach(m -> models.put(m.key(), m.value()));
        ModelArtifact artifact = models.get(r.modelId());
        assertThat(artifact.format()).isEqualTo(SentenceLogisticModel.FORMAT);
        assertThat(artifact.provenance().get("features")).contains(ReviewEmbedding.MINILM);
        assertThat(artifact.provenance().get("cGrid").split(",")).hasSize(11);
        ModelArtifact network = models.get("e2e.random.n32.s1");
        for (String key : List.of("subsetIndexes", "validationIndexes", "testIndexes")) {
            assertThat(artifact.provenance().get(key)).as(key).isEqualTo(network.provenance().get(key));
        }
        // The decoded artifact predicts exactly what the run evaluated, from the same vectors.
        SentenceLogisticModel decoded = SentenceLogisticModel.decode(artifact.weights());
        assertThat(decoded.encoder()).isEqualTo(ReviewEmbedding.MINILM);
        List<ReviewSequence> test = GOOD.test().stream().sorted(Comparator.comparingInt(ReviewSequence::index))
                .limit(32).toList();
        double[] p = decoded.predict(test.stream().map(t -> vectors.get("test/" + t.index())).toArray(float[][]::new));
        var again = Evaluation.testMetrics(p, test.stream().mapToInt(ReviewSequence::label).toArray(), 200);
        assertThat(again.accuracy()).isEqualTo(r.test().accuracy()).isGreaterThan(0.7);
        assertThat(again.confusion()).isDeepEqualTo(r.test().confusion());

        // Both together: the terms of the whole reviews and the vectors, one model that predicts what its run evaluated.
        TrainingResult both = results("encoder").stream().filter(x -> x.variant().equals("tfidf-minilm-logreg"))
                .findFirst().orElseThrow();
        assertThat(both.status()).as(both.error()).isEqualTo(TrainingResult.Status.SUCCEEDED);
        ModelArtifact combined = models.get(both.modelId());
        assertThat(combined.format()).isEqualTo(TfidfSentenceModel.FORMAT);
        assertThat(combined.provenance().get("cGrid").split(",")).hasSize(35);
        assertThat(combined.provenance()).containsKeys("vectorScale", "c");
        TfidfSentenceModel model = TfidfSentenceModel.decode(combined.weights(), combined.preprocessing());
        double[] q = model.predict(test.stream().map(ReviewSequence::allTokens).toArray(int[][]::new),
                test.stream().map(t -> vectors.get("test/" + t.index())).toArray(float[][]::new));
        var combinedAgain = Evaluation.testMetrics(q, test.stream().mapToInt(ReviewSequence::label).toArray(), 200);
        assertThat(combinedAgain.accuracy()).isEqualTo(both.test().accuracy()).isGreaterThan(0.7);
    }

    @Test
    @Order(3)
    void shouldTrainTheTfidfBaselineOnTheSameReviewsAndPublishAServingArtifact() {
        writer().contentType(ContentType.JSON)
                .body(Map.of("experimentId", "baseline", "datasetId", GOOD.datasetId(), "sizes", List.of(32),
                        "variants", List.of("tfidf-logreg"), "seeds", List.of(1), "hyperparameters", SMALL))
                .post("/experiments").then().statusCode(202).body("jobIds[0]", equalTo("baseline.tfidf-logreg.n32.s1"));
        awaitFinished("baseline");

        TrainingResult r = results("baseline").get(0);
        assertThat(r.status()).isEqualTo(TrainingResult.Status.SUCCEEDED);
        assertThat(r.epochsRun()).isEqualTo(1);
        assertThat(io.readAll(Topics.TRAINING_METRICS).stream().filter(m -> m.key().equals(r.jobId()))).hasSize(1);
        Map<String, ModelArtifact> models = new java.util.HashMap<>();
        io.readAll(Topics.MODELS).forEach(m -> models.put(m.key(), m.value()));
        ModelArtifact artifact = models.get(r.modelId());
        assertThat(artifact.format()).isEqualTo(TfidfLogisticModel.FORMAT);
        assertThat(artifact.metrics()).containsKeys("valLoss", "valAccuracy", "testAccuracy");
        assertThat(artifact.provenance().get("cGrid").split(",")).hasSize(7);
        // The same training subset, validation and test reviews as the network run of the same seed and size.
        ModelArtifact network = models.get("e2e.random.n32.s1");
        for (String key : List.of("subsetIndexes", "validationIndexes", "testIndexes", "trainOffsets", "testOffsets")) {
            assertThat(artifact.provenance().get(key)).as(key).isEqualTo(network.provenance().get(key));
        }
        // The decoded artifact reads whole reviews and predicts exactly what the run evaluated.
        assertThat(artifact.provenance().get("features")).contains("of the whole reviews");
        int[][] test = GOOD.test().stream().sorted(Comparator.comparingInt(ReviewSequence::index)).limit(32)
                .map(ReviewSequence::allTokens).toArray(int[][]::new);
        int[] labels = GOOD.test().stream().sorted(Comparator.comparingInt(ReviewSequence::index)).limit(32)
                .mapToInt(ReviewSequence::label).toArray();
        TfidfLogisticModel decoded = TfidfLogisticModel.decode(artifact.weights(), artifact.preprocessing());
        assertThat(decoded.input()).isEqualTo(TfidfLogisticModel.Input.WHOLE_REVIEW);
        double[] p = decoded.predict(test);
        var again = Evaluation.testMetrics(p, labels, 200);
        assertThat(again.accuracy()).isEqualTo(r.test().accuracy()).isGreaterThan(0.6); // 32 reviews: learnt, roughly
        assertThat(again.confusion()).isDeepEqualTo(r.test().confusion());

        given().get("/experiments/baseline/report/results.csv").then().statusCode(200)
                .body(containsString("32,tfidf-logreg,1,"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("trainer_run_test_accuracy{experiment=\"baseline\""));
    }

    @Test
    @Order(3)
    void shouldNotTrainARedeliveredJobTwice() {
        ConsumerRecord<String, TrainingJob> job = io.readAll(Topics.TRAINING_JOBS).stream()
                .filter(r -> r.value().experimentId().equals("e2e")).findFirst().orElseThrow();
        long epochsBefore = io.readAll(Topics.TRAINING_METRICS).stream().filter(r -> r.key().equals(job.key())).count();

        io.send(Topics.TRAINING_JOBS, job.key(), job.value());

        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/q/metrics").asString()
                .contains("trainer_runs_skipped_total{experiment=\"e2e\""));
        assertThat(io.readAll(Topics.TRAINING_RESULTS).stream().filter(r -> r.key().equals(job.key()))).hasSize(1);
        assertThat(io.readAll(Topics.TRAINING_METRICS).stream().filter(r -> r.key().equals(job.key()))).hasSize((int) epochsBefore);
    }

    @Test
    @Order(4)
    void shouldReportAFailingRunAndStillTrainTheNextOne() {
        writer().contentType(ContentType.JSON)
                .body(Map.of("experimentId", "failing", "datasetId", BAD.datasetId(), "sizes", List.of(16),
                        "variants", List.of("random"), "hyperparameters", Map.of("maxEpochs", 1, "validationSize", 16,
                                "testSize", 16)))
                .post("/experiments").then().statusCode(202);
        awaitFinished("failing");
        writer().contentType(ContentType.JSON)
                .body(Map.of("experimentId", "after-failure", "datasetId", GOOD.datasetId(), "sizes", List.of(16),
                        "variants", List.of("random"), "hyperparameters", Map.of("maxEpochs", 1, "validationSize", 16,
                                "testSize", 16)))
                .post("/experiments").then().statusCode(202);
        awaitFinished("after-failure");

        TrainingResult failed = results("failing").get(0);
        assertThat(failed.status()).isEqualTo(TrainingResult.Status.FAILED);
        assertThat(failed.error()).contains("bad record").contains(BAD.train().get(47).id());
        assertThat(results("after-failure")).singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(TrainingResult.Status.SUCCEEDED));
        given().get("/experiments/failing").then().body("runs[0].state", equalTo("FAILED"))
                .body("runs[0].error", containsString("bad record"));
        given().get("/experiments/failing/report").then().statusCode(200).body(containsString("Failed runs"));
    }

    @Test
    @Order(5)
    void shouldExposeEveryResultOnTrainingResultsInTheStudyGaugesOfAFreshView() throws Exception {
        // Results of another trainer, written straight to training.results: three seeds of a cell, a failed fourth,
        // a fifth that succeeded and then failed (the latest result of a run wins), and ids unfit for tags.
        TrainingResult.TestMetrics test = results("e2e").get(0).test();
        double[] accuracies = {0.71, 0.74, 0.80};
        double[] aucs = {0.78, 0.81, 0.86};
        for (int i = 0; i < 3; i++) {
            publishResult("elsewhere", i + 1, TrainingResult.Status.SUCCEEDED, test, accuracies[i], aucs[i]);
        }
        publishResult("elsewhere", 4, TrainingResult.Status.FAILED, null, 0, 0);
        publishResult("elsewhere", 5, TrainingResult.Status.SUCCEEDED, test, 0.99, 0.99);
        publishResult("elsewhere", 5, TrainingResult.Status.FAILED, null, 0, 0);
        publishResult("../elsewhere", 1, TrainingResult.Status.SUCCEEDED, test, 0.5, 0.5);

        // A view and its gauges started now, after every result was written: the production classes on a registry
        // of their own, next to the service's.
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        StudyView view = new StudyView(clients, config, failFast);
        new StudyMetrics(view, registry).start();
        view.start();
        try {
            view.awaitCaughtUp(List.of(Topics.TRAINING_RESULTS.name()), Duration.ofSeconds(60));
            Statistics expected = Statistics.of(List.of(0.71, 0.74, 0.80));
            String[] cell = {"experiment", "elsewhere", "size", "64", "variant", "glove"};
            assertThat(gauge(registry, "trainer.study.seeds", cell)).isEqualTo(3);
            assertThat(gauge(registry, "trainer.study.test.accuracy.mean", cell)).isEqualTo(expected.mean());
            assertThat(gauge(registry, "trainer.study.test.accuracy.sd", cell)).isEqualTo(expected.sd());
            assertThat(gauge(registry, "trainer.study.test.accuracy.ci.low", cell)).isEqualTo(expected.ciLow());
            assertThat(gauge(registry, "trainer.study.test.accuracy.ci.high", cell)).isEqualTo(expected.ciHigh());
            assertThat(gauge(registry, "trainer.study.test.auc.mean", cell))
                    .isEqualTo(Statistics.of(List.of(0.78, 0.81, 0.86)).mean());
            assertThat(registry.find("trainer.study.run.test.accuracy").tags("experiment", "elsewhere").gauges())
                    .extracting(g -> g.getId().getTag("seed")).containsExactlyInAnyOrder("1", "2", "3");
            assertThat(gauge(registry, "trainer.study.run.test.accuracy", "experiment", "elsewhere", "seed", "2"))
                    .isEqualTo(0.74);

            // Runs this service trained before the view started are there too; one seed: no spread yet.
            TrainingResult trained = results("e2e").stream().filter(r -> r.variant().equals("random")).findFirst().orElseThrow();
            String[] e2e = {"experiment", "e2e", "size", "32", "variant", "random"};
            assertThat(gauge(registry, "trainer.study.seeds", e2e)).isEqualTo(1);
            assertThat(gauge(registry, "trainer.study.test.accuracy.mean", e2e)).isEqualTo(trained.test().accuracy());
            assertThat(gauge(registry, "trainer.study.test.accuracy.sd", e2e)).isNaN();
            assertThat(gauge(registry, "trainer.study.run.best.epoch", "experiment", "e2e", "variant", "random"))
                    .isEqualTo(trained.bestEpoch());
            // A failed run counts nowhere; unsafe ids name no meter.
            assertThat(registry.find("trainer.study.seeds").tags("experiment", "failing").gauges()).isEmpty();
            assertThat(registry.getMeters()).noneMatch(m -> m.getId().getTags().stream()
                    .anyMatch(t -> t.getValue().contains("..")));
        } finally {
            view.stop();
        }
        // The service's own gauges, from its own view: the run that failed at last is gone from its registry too.
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/q/metrics").asString()
                .contains("trainer_study_seeds{experiment=\"elsewhere\",size=\"64\",variant=\"glove\"} 3.0"));
        assertThat(given().get("/q/metrics").asString().lines()
                .filter(l -> l.startsWith("trainer_study_run_test_accuracy{") && l.contains("experiment=\"elsewhere\"")))
                .hasSize(3).noneMatch(l -> l.contains("seed=\"5\""));
    }

    private static void publishResult(String experimentId, long seed, TrainingResult.Status status,
            TrainingResult.TestMetrics template, double accuracy, double auc) {
        String jobId = TrainingJob.jobId(experimentId, "glove", 64, seed);
        TrainingResult.TestMetrics test = template == null ? null : new TrainingResult.TestMetrics(template.n(),
                template.loss(), accuracy, auc, template.confusion(), template.perClass(), template.prCurve());
        io.send(Topics.TRAINING_RESULTS, jobId, new TrainingResult(TrainingResult.VERSION, jobId, experimentId, "glove",
                64, seed, status, test == null ? "failed elsewhere" : null, 3, 2, 0.5, test,
                test == null ? null : jobId, List.of(), 1.0, System.currentTimeMillis()));
    }

    /** The value of the one gauge with these tags (pairs of name and value). */
    private static double gauge(MeterRegistry registry, String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    /** The view reads the manifests asynchronously; POST needs them. */
    private static void awaitManifests() {
        await().atMost(Duration.ofSeconds(60)).until(() -> writer().contentType(ContentType.JSON)
                .body(Map.of("experimentId", "probe-" + System.nanoTime(), "datasetId", GOOD.datasetId(), "sizes",
                        List.of(1), "variants", List.of("nonsense")))
                .post("/experiments").statusCode() == 400);
    }

    @Test
    @Order(5)
    void shouldRefuseExperimentsBeyondTheLimits() {
        awaitManifests();
        writer().contentType(ContentType.JSON).body(Map.of("datasetId", GOOD.datasetId(), "sizes", List.of(16),
                "variants", List.of("random"), "seeds", java.util.stream.LongStream.rangeClosed(1, 61).boxed().toList()))
                .post("/experiments").then().statusCode(400).body("error", containsString("61 runs"))
                .body("error", containsString("max-runs"));
        writer().contentType(ContentType.JSON).body(Map.of("datasetId", GOOD.datasetId(), "sizes", List.of(16),
                "variants", List.of("random"), "hyperparameters", Map.of("maxEpochs", 1000)))
                .post("/experiments").then().statusCode(400).body("error", containsString("maxEpochs 1000"));
        writer().contentType(ContentType.JSON).body(Map.of("experimentId", "../reports", "datasetId", GOOD.datasetId()))
                .post("/experiments").then().statusCode(400).body("error", containsString("experimentId must match"));
    }

    @Test
    @Order(6)
    void shouldStopTheRunningAndQueuedRunsOfACancelledExperimentForGood() throws Exception {
        // Two slots (the test profile): two runs train, the third waits; early stopping off, so none ends by itself.
        writer().contentType(ContentType.JSON)
                .body(Map.of("experimentId", "cancel-me", "datasetId", GOOD.datasetId(), "sizes", List.of(16),
                        "variants", List.of("random"), "seeds", List.of(1, 2, 3), "hyperparameters",
                        Map.of("maxEpochs", 100, "patience", 100, "validationSize", 16, "testSize", 16)))
                .post("/experiments").then().statusCode(202);
        await().atMost(RUN_TIMEOUT).until(() -> io.readAll(Topics.TRAINING_METRICS).stream()
                .anyMatch(r -> r.value().experimentId().equals("cancel-me")));

        given().delete("/experiments/cancel-me").then().statusCode(401);
        writer().delete("/experiments/cancel-me").then().statusCode(202)
                .body("requestedBy", equalTo("token-1")).body("stopping.size()", equalTo(3));
        writer().delete("/experiments/no-such-experiment").then().statusCode(404);
        await().atMost(RUN_TIMEOUT).until(() -> results("cancel-me").size() == 3);

        List<TrainingResult> results = results("cancel-me");
        assertThat(results).hasSize(3).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(TrainingResult.Status.CANCELLED);
            assertThat(r.error()).contains("cancelled by token-1");
            assertThat(r.epochsRun()).isLessThan(100);
        });
        given().get("/experiments/cancel-me").then().statusCode(200).body("summary.cancelled", equalTo(3))
                .body("summary.experimentCancelled", equalTo(true)).body("runs.state", org.hamcrest.Matchers.everyItem(equalTo("CANCELLED")));
        // Cancelled runs are finished jobs: committed, never retried, no second result.
        await().atMost(Duration.ofSeconds(30)).until(() -> io.committedLag("imdb-trainer", Topics.TRAINING_JOBS.name()) == 0);
        Thread.sleep(3_000);
        assertThat(results("cancel-me")).hasSize(3);
        writer().contentType(ContentType.JSON).body(Map.of("experimentId", "cancel-me", "datasetId", GOOD.datasetId()))
                .post("/experiments").then().statusCode(409).body("error", containsString("cancelled"));
    }

    @Test
    @Order(7)
    void shouldNotLetAJobRecordWriteOutsideTheReportAndCheckpointFolders() throws Exception {
        TrainingJob template = io.readAll(Topics.TRAINING_JOBS).get(0).value();
        // Written straight to training.jobs, past the API's checks: ids that would be paths outside the folders.
        for (String experiment : List.of("../escape", "..")) {
            String jobId = TrainingJob.jobId(experiment, "random", 16, 1);
            io.send(Topics.TRAINING_JOBS, jobId, new TrainingJob(TrainingJob.VERSION, jobId, experiment,
                    GOOD.datasetId(), "random", 16, 1, template.hyperparameters(), System.currentTimeMillis()));
        }
        io.send(Topics.TRAINING_JOBS, "../../escape-job", new TrainingJob(TrainingJob.VERSION, "../../escape-job",
                "fine", GOOD.datasetId(), "random", 16, 1, template.hyperparameters(), System.currentTimeMillis()));

        await().atMost(Duration.ofSeconds(60)).until(() -> io.committedLag("imdb-trainer", Topics.TRAINING_JOBS.name()) == 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> given().get("/q/metrics").asString()
                .contains("trainer_jobs_rejected_total 3.0"));
        Path root = LocalKafkaResource.dir();
        try (var files = Files.walk(root)) {
            assertThat(files.map(root::relativize).map(Path::toString))
                    .noneMatch(f -> f.contains("escape"))
                    .allMatch(f -> f.isEmpty() || f.startsWith("kafka") || f.startsWith("reports") || f.startsWith("checkpoints"));
        }
        assertThat(Files.exists(root.getParent().resolve("escape"))).isFalse();
        assertThat(results("..")).isEmpty();
        given().get("/experiments").then().statusCode(200).body("experimentId", org.hamcrest.Matchers.not(
                org.hamcrest.Matchers.hasItem("../escape")));
        given().get("/q/metrics").then().body(org.hamcrest.Matchers.not(containsString("escape")));
    }
}
