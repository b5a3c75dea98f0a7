package dev.imdbstream.scorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.imdbstream.common.kafka.Json;
import dev.imdbstream.common.kafka.TopicCreation;
import dev.imdbstream.common.kafka.Topics;
import dev.imdbstream.common.schema.DeadLetter;
import dev.imdbstream.common.schema.ModelArtifact;
import dev.imdbstream.common.schema.Prediction;
import dev.imdbstream.kafka.LocalKafka;

/**
 * Exactly-once across a crash: the packaged scorer ({@code target/quarkus-app}) runs as its own process on a real
 * broker while reviews keep arriving, is killed with SIGKILL mid-stream, and is started again on the same state
 * directory. A read-committed consumer must then see exactly one prediction or dead letter per review: none lost,
 * none twice.
 */
class ExactlyOnceRestartIT {

    private static final Logger LOG = LoggerFactory.getLogger(ExactlyOnceRestartIT.class);
    private static final int REVIEWS = 3000;
    private static final int REVIEWS_PER_SECOND = 400;
    private static final Duration TIMEOUT = Duration.ofSeconds(240);

    @TempDir
    Path dir;

    @Test
    void shouldLoseNoReviewAndWriteNoDuplicateWhenTheScorerIsKilledAndRestarted() throws Exception {
        Path app = Path.of("target", "quarkus-app", "quarkus-run.jar");
        assumeTrue(Files.isRegularFile(app), "the packaged scorer is missing: run `mvn verify`");
        try (LocalKafka kafka = LocalKafka.start(dir.resolve("kafka"))) {
            String bootstrap = kafka.bootstrapServers();
            createTopics(bootstrap);
            ModelArtifact model = TestModels.artifact("eos-model", "random", 500, 0.3, System.currentTimeMillis());
            try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(bootstrap)) {
                producer.send(new ProducerRecord<>(Topics.MODELS.name(), bytes(model.modelId()),
                        Topics.MODELS.valueSerde().serializer().serialize(Topics.MODELS.name(), model))).get();
            }
            int port = LocalKafka.freePort();

            Process first = startScorer(bootstrap, port, "first");
            awaitReady(port, first);
            Set<String> expectedBad = new HashSet<>();
            AtomicInteger sent = new AtomicInteger();
            Thread producerThread = new Thread(() -> produce(bootstrap, expectedBad, sent), "review-producer");
            producerThread.start();

            awaitUncommittedPredictions(bootstrap, 100);
            first.destroyForcibly();
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            int committedAtKill = committedOutputs(bootstrap);
            LOG.info("scorer killed (SIGKILL) with {} of {} reviews sent and {} outputs committed", sent.get(), REVIEWS,
                    committedAtKill);
            assertThat(committedAtKill).as("killed in the middle of the stream").isLessThan(REVIEWS);

            Process second = startScorer(bootstrap, port, "second");
            try {
                producerThread.join(TIMEOUT.toMillis());
                List<ConsumerRecord<byte[], Prediction>> predictions;
                List<ConsumerRecord<byte[], DeadLetter>> deadLetters;
                try (KafkaConsumer<byte[], DeadLetter> dlq = KafkaTestClients.consumer(bootstrap,
                        Topics.REVIEWS_DLQ.name(), Topics.REVIEWS_DLQ.valueSerde().deserializer(), true)) {
                    deadLetters = KafkaTestClients.pollUntil(dlq, r -> r.size() >= expectedBad.size(), TIMEOUT);
                }
                try (KafkaConsumer<byte[], Prediction> consumer = KafkaTestClients.consumer(bootstrap,
                        Topics.PREDICTIONS.name(), Topics.PREDICTIONS.valueSerde().deserializer(), true)) {
                    predictions = KafkaTestClients.pollUntil(consumer,
                            r -> r.size() >= REVIEWS - expectedBad.size(), TIMEOUT);
                    // Anything beyond the expected count would be a duplicate: give it time to show up.
                    predictions.addAll(KafkaTestClients.pollUntil(consumer, r -> false, Duration.ofSeconds(3)));
                }

                List<String> predicted = predictions.stream().map(r -> r.value().id()).toList();
                List<String> dead = deadLetters.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList();
                assertThat(new HashSet<>(predicted)).as("no duplicate prediction").hasSize(predicted.size());
                assertThat(predicted.size() + dead.size()).as("one output per review").isEqualTo(REVIEWS);
                assertThat(new HashSet<>(dead)).isEqualTo(expectedBad);
                Set<String> all = new HashSet<>(predicted);
                all.addAll(dead);
                for (int i = 0; i < REVIEWS; i++) {
                    assertThat(all).contains("r" + i);
                }
                LOG.info("after the restart: {} predictions + {} dead letters for {} reviews; {} records in predictions "
                        + "including aborted ones", predicted.size(), dead.size(), REVIEWS, uncommittedCount(bootstrap));
            } finally {
                second.destroy();
                if (!second.waitFor(30, TimeUnit.SECONDS)) {
                    second.destroyForcibly();
                }
            }
        }
    }

    /** Reviews r0..r(N-1) at a steady rate, every 25th one malformed; the key is the review id. */
    private static void produce(String bootstrap, Set<String> bad, AtomicInteger sent) {
        SplittableRandom random = new SplittableRandom(3);
        long started = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(bootstrap)) {
            for (int i = 0; i < REVIEWS; i++) {
                String id = "r" + i;
                byte[] value;
                if (i % 25 == 7) {
                    synchronized (bad) {
                        bad.add(id);
                    }
                    value = bytes("{\"id\":\"" + id + "\",\"text\":");
                } else {
                    boolean positive = random.nextBoolean();
                    value = Json.MAPPER.writeValueAsBytes(Map.of("id", id, "text", TestModels.review(random, positive),
                            "label", positive ? 1 : 0));
                }
                producer.send(new ProducerRecord<>(Topics.REVIEWS.name(), bytes(id), value));
                sent.incrementAndGet();
                long due = started + (long) (i + 1) * 1_000_000_000L / REVIEWS_PER_SECOND;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            producer.flush();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Process startScorer(String bootstrap, int port, String name) throws IOException {
        Path log = dir.resolve("scorer-" + name + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", // as deployed: the model's RowsGemm
                "-Xmx1g",
                "-Dquarkus.kafka-streams.bootstrap-servers=" + bootstrap,
                "-Dkafka-streams.state.dir=" + dir.resolve("streams"),
                "-Dkafka-streams.session.timeout.ms=6000",
                "-Dquarkus.http.port=" + port,
                "-Dscorer.batch-size=8",
                "-jar", Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("OMP_NUM_THREADS", "1");
        LOG.info("starting the {} scorer, log {}", name, log);
        return builder.start();
    }

    private static void awaitReady(int port, Process process) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/q/health/ready")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("eos-model")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("scorer not ready on port " + port + " (alive: " + process.isAlive() + ")");
    }

    private static void awaitUncommittedPredictions(String bootstrap, int count) {
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaTestClients.consumer(bootstrap, Topics.PREDICTIONS.name(),
                new ByteArrayDeserializer(), false)) {
            int seen = KafkaTestClients.pollUntil(consumer, r -> r.size() >= count, TIMEOUT).size();
            assertThat(seen).isGreaterThanOrEqualTo(count);
        }
    }

    /** Predictions and dead letters visible to a read-committed consumer now. */
    private static int committedOutputs(String bootstrap) {
        int count = 0;
        for (String topic : List.of(Topics.PREDICTIONS.name(), Topics.REVIEWS_DLQ.name())) {
            try (KafkaConsumer<byte[], byte[]> consumer = KafkaTestClients.consumer(bootstrap, topic,
                    new ByteArrayDeserializer(), true)) {
                count += KafkaTestClients.pollUntil(consumer, r -> false, Duration.ofSeconds(3)).size();
            }
        }
        return count;
    }

    private static int uncommittedCount(String bootstrap) {
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaTestClients.consumer(bootstrap, Topics.PREDICTIONS.name(),
                new ByteArrayDeserializer(), false)) {
            return KafkaTestClients.pollUntil(consumer, r -> false, Duration.ofSeconds(3)).size();
        }
    }

    private static void createTopics(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TopicCreation.createMissing(admin, List.of(Topics.REVIEWS, Topics.PREDICTIONS, Topics.REVIEWS_DLQ,
                    Topics.MODELS), Optional.empty(), Duration.ofSeconds(30));
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
