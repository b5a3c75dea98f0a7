package dev.imdbstream.scorer;

import static dev.imdbstream.scorer.WireBytes.bytes;
import static dev.imdbstream.scorer.WireBytes.json;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import dev.imdbstream.common.data.RawReview;
import dev.imdbstream.common.kafka.Json;
import dev.imdbstream.common.kafka.Topics;
import dev.imdbstream.common.schema.DeadLetter;
import dev.imdbstream.common.schema.ModelArtifact;
import dev.imdbstream.common.schema.Prediction;
import dev.imdbstream.kafka.LocalKafkaResource;
import dev.imdbstream.model.ServingModel;
import dev.imdbstream.scorer.model.ModelRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The whole service on a real broker: a model really trained on real IMDB reviews is published to {@code models},
 * real test reviews are produced to {@code reviews} as raw text and as the ingestor's tokens, and the predictions
 * are read back read-committed. Skipped when {@code imdb.data.dir} does not hold the aclImdb archive.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalKafkaResource.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "quarkus.kafka-streams.bootstrap-servers", value = "{bootstrap}"),
        @ResourceArg(name = "kafka-streams.state.dir", value = "{dir}/streams")})
class RealReviewsScoringTest {

    private static final int TRAIN_REVIEWS = 600;
    private static final int TEST_REVIEWS = 400;
    private static final Duration TIMEOUT = Duration.ofSeconds(180);

    @Inject
    ModelRegistry registry;

    @Test
    void shouldScoreRealTestReviewsWellAboveChanceAsTheTrainerEvaluatedThem() throws Exception {
        assumeTrue(RealData.archive() != null, "imdb.data.dir does not hold aclImdb_v1.tar.gz: real-data test skipped");
        RealData data = RealData.load(RealData.archive(), TRAIN_REVIEWS, TEST_REVIEWS, 1);
        ModelArtifact artifact = data.trainArtifact("it-random-" + TRAIN_REVIEWS, 16, 3, 0.01, 1);
        List<RawReview> test = data.test;
        double[] bare = ServingModel.load(artifact).predictTexts(test.stream().map(RawReview::text).toList());
        int[][] ingestorTokens = data.tokens(test);
        String bootstrap = LocalKafkaResource.bootstrapServers();

        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(bootstrap)) {
            producer.send(new ProducerRecord<>(Topics.MODELS.name(), bytes(artifact.modelId()),
                    Topics.MODELS.valueSerde().serializer().serialize(Topics.MODELS.name(), artifact))).get();
            awaitModel(artifact.modelId());
            for (int i = 0; i < test.size(); i++) {
                RawReview r = test.get(i);
                producer.send(new ProducerRecord<>(Topics.REVIEWS.name(), bytes(r.id()),
                        json(Map.of("id", r.id(), "text", r.text(), "label", r.label()))));
                producer.send(new ProducerRecord<>(Topics.REVIEWS.name(), bytes(r.id()),
                        json(Map.of("id", "tokens:" + r.id(), "tokens", ingestorTokens[i], "label", r.label()))));
            }
            producer.send(new ProducerRecord<>(Topics.REVIEWS.name(), bytes("bad-1"), bytes("{\"id\": \"bad-1\", ")));
            producer.send(new ProducerRecord<>(Topics.REVIEWS.name(), bytes("bad-2"), new byte[] {(byte) 0xff, 0x7b}));
            producer.flush();
        }

        List<ConsumerRecord<byte[], Prediction>> predictions;
        try (KafkaConsumer<byte[], Prediction> consumer = KafkaTestClients.consumer(bootstrap,
                Topics.PREDICTIONS.name(), Topics.PREDICTIONS.valueSerde().deserializer(), true)) {
            predictions = KafkaTestClients.pollUntil(consumer, r -> r.size() >= 2 * test.size(), TIMEOUT);
        }
        List<ConsumerRecord<byte[], DeadLetter>> deadLetters;
        try (KafkaConsumer<byte[], DeadLetter> consumer = KafkaTestClients.consumer(bootstrap,
                Topics.REVIEWS_DLQ.name(), Topics.REVIEWS_DLQ.valueSerde().deserializer(), true)) {
            deadLetters = KafkaTestClients.pollUntil(consumer, r -> r.size() >= 2, TIMEOUT);
        }

        assertThat(predictions).hasSize(2 * test.size());
        assertThat(deadLetters).extracting(r -> r.value().error().split(":")[0])
                .containsExactlyInAnyOrder("malformed_json", "not_utf8");
        Map<String, Prediction> byId = new HashMap<>();
        predictions.forEach(r -> byId.put(r.value().id(), r.value()));
        int correct = 0;
        for (int i = 0; i < test.size(); i++) {
            RawReview r = test.get(i);
            Prediction fromText = byId.get(r.id());
            Prediction fromTokens = byId.get("tokens:" + r.id());
            assertThat(fromText.scores()).singleElement().extracting(Prediction.ModelScore::modelId)
                    .isEqualTo(artifact.modelId());
            assertThat(fromText.scores().get(0).probability()).isCloseTo(bare[i], within(1e-5));
            assertThat(fromTokens.scores().get(0).probability()).isCloseTo(fromText.scores().get(0).probability(),
                    within(1e-5));
            assertThat(fromText.label()).isEqualTo(r.label());
            if (fromText.scores().get(0).label() == r.label()) {
                correct++;
            }
        }
        double accuracy = (double) correct / test.size();
        assertThat(accuracy).as("streaming accuracy on real test reviews").isGreaterThan(0.65);
        // The trainer's evaluation (Inference.evaluate on the ingestor's tokens) and the stream agree.
        assertThat(accuracy).isCloseTo(artifact.metrics().get("testAccuracy"), within(0.005));

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        // Kept for whoever writes dashboards: every series name the running service exports.
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "scorer-metrics.txt"), metrics);
        assertThat(gauge(metrics, "scorer_model_accuracy", artifact.modelId())).isCloseTo(accuracy, within(0.005));
        assertThat(metrics).contains("scorer_reviews_total", "scorer_predictions_total",
                "scorer_dlq_total{reason=\"malformed_json\"}", "scorer_latency_seconds{quantile=\"0.99\"}",
                "scorer_latency_seconds_bucket", "scorer_batch_size", "scorer_model_loaded{",
                "scorer_models_selected", "scorer_pending_reviews", "kafka_consumer_fetch_manager_records_lag");

        String restAnswer = given().contentType("application/json")
                .body(json(Map.of("id", test.get(0).id(), "text", test.get(0).text())))
                .post("/score").then().statusCode(200).extract().asString();
        Prediction rest = Json.MAPPER.readValue(restAnswer, Prediction.class);
        assertThat(rest.scores().get(0).probability())
                .isCloseTo(byId.get(test.get(0).id()).scores().get(0).probability(), within(1e-5));
        given().contentType("application/json").body("{\"id\":\"x\",\"text\":\"  \"}").post("/score")
                .then().statusCode(400);
        given().get("/q/health").then().statusCode(200);
    }

    private void awaitModel(String modelId) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!registry.current().modelIds().contains(modelId) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(registry.current().modelIds()).contains(modelId);
    }

    /** The value of a Prometheus gauge sample with {@code model="<modelId>"} among its labels. */
    private static double gauge(String exposition, String name, String modelId) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*model=\"" + Pattern.quote(modelId) + "\"[^}]*\\} (\\S+)$")
                .matcher(exposition);
        assertThat(m.find()).as(name + " for " + modelId).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
