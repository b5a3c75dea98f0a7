package dev.imdbstream.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.imdbstream.common.data.AclImdbFixture;
import dev.imdbstream.common.kafka.Json;
import dev.imdbstream.common.kafka.KafkaAccess;
import dev.imdbstream.common.kafka.KafkaFaults;
import dev.imdbstream.common.kafka.KafkaSecurity;
import dev.imdbstream.common.kafka.Topics;
import dev.imdbstream.common.schema.Prediction;
import dev.imdbstream.kafka.LocalKafka;
import dev.imdbstream.kafka.LocalPki;
import dev.imdbstream.kafka.LocalSecurity;

/**
 * The pipeline on a secured broker, each service as its users run it (a process of its packaged application) under
 * its own Kafka user with the ACLs of {@link KafkaAccess}: the ingestor (SCRAM-SHA-512 over TLS) publishes a few
 * hundred reviews, the trainer (SCRAM) trains one short run ordered through its authenticated API, the scorer (mutual
 * TLS, its certificate's CN is its user) scores reviews a client user streams in. Clients without valid credentials
 * and services using another service's user are refused, with messages that say why.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecuredPipelineIT {

    private static final Duration START = Duration.ofMinutes(3);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    static LocalKafka kafka;
    static LocalSecurity users;
    static Path archive;
    static String token;
    static final List<ServiceProcess> services = new ArrayList<>();
    static long started;

    @BeforeAll
    static void startSecuredKafka() throws Exception {
        started = System.nanoTime();
        LocalPki pki = LocalPki.create(dir.resolve("pki"), LocalSecurity.certificateNames());
        kafka = LocalKafka.startSecured(dir.resolve("kafka"), pki);
        users = LocalSecurity.setUp(kafka, dir.resolve("clients"));
        archive = writeReviews(dir.resolve("aclImdb_v1.tar.gz"));
        token = UUID.randomUUID().toString();
        log("secured broker, users and ACLs ready");
    }

    @AfterAll
    static void stop() {
        services.forEach(ServiceProcess::close);
        if (kafka != null) {
            kafka.close();
        }
        log("done");
    }

    @Test
    @Order(1)
    void shouldRefuseClientsWithoutValidCredentialsSayingWhy() {
        Map<String, String> wrongPassword = new HashMap<>(users.settings(KafkaAccess.TRAINER));
        wrongPassword.put(KafkaSecurity.SASL_PASSWORD, "guessed");
        assertThatThrownBy(() -> listTopics(kafka.bootstrapServers(), wrongPassword))
                .satisfies(e -> assertThat(KafkaFaults.explain(e)).contains("invalid credentials")
                        .contains(KafkaSecurity.SASL_PASSWORD));

        Map<String, String> noCertificate = new HashMap<>(kafka.pki().orElseThrow().trustSettings());
        noCertificate.put(KafkaSecurity.PROTOCOL, "SSL");
        assertThatThrownBy(() -> listTopics(kafka.tlsBootstrapServers().orElseThrow(), noCertificate))
                .satisfies(e -> assertThat(KafkaFaults.explain(e)).contains("TLS handshake")
                        .contains(KafkaSecurity.KEYSTORE_LOCATION));

        // No credentials at all on a SASL listener: refused before a connection is tried.
        assertThatThrownBy(() -> KafkaSecurity.from(name -> Optional.ofNullable(
                Map.of(KafkaSecurity.PROTOCOL, "SASL_SSL").get(name))))
                .hasMessageContaining("needs kafka.sasl.username and kafka.sasl.password");
    }

    @Test
    @Order(2)
    void shouldRefuseAServiceUsingAnotherServicesUser() throws Exception {
        // The ingestor run with the trainer's user, which may read imdb.* but not write it.
        ServiceProcess ingestor = ingest(KafkaAccess.TRAINER);
        assertThat(ingestor.exitCode(START)).as(ingestor.tail()).isEqualTo(3);
        assertThat(ingestor.output()).contains("Kafka refused access to topics").contains("imdb.")
                .contains("no ACL").contains("SASL_SSL (SCRAM-SHA-512) as trainer");

        // The scorer's user may not order training jobs, nor read them.
        try (KafkaProducer<byte[], byte[]> producer = producer(users.settings(KafkaAccess.SCORER))) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.TRAINING_JOBS.name(), new byte[1],
                    new byte[1])).get(30, TimeUnit.SECONDS)).hasRootCauseInstanceOf(TopicAuthorizationException.class)
                    .satisfies(e -> assertThat(KafkaFaults.explain(e)).contains("[training.jobs]"));
        }
        log("refusals checked");
    }

    @Test
    @Order(3)
    void shouldIngestTrainAndScoreWithEveryServiceUnderItsOwnUser() throws Exception {
        int trainerPort = LocalKafka.freePort();
        int scorerPort = LocalKafka.freePort();
        String trainer = "http://127.0.0.1:" + trainerPort;
        String scorer = "http://127.0.0.1:" + scorerPort;
        // Both start while the ingestor runs: the trainer under SCRAM, the scorer by its certificate.
        Map<String, String> trainerEnv = new LinkedHashMap<>(users.environment(KafkaAccess.TRAINER));
        trainerEnv.putAll(Map.of("QUARKUS_HTTP_HOST", "127.0.0.1", "QUARKUS_HTTP_PORT", String.valueOf(trainerPort),
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(), "TRAINER_KAFKA_CREATE_TOPICS", "false",
                "TRAINER_RUNS_PARALLEL", "1", "TRAINER_RUNS_CHECKPOINT_DIR", dir.resolve("checkpoints").toString(),
                "TRAINER_REPORT_DIR", dir.resolve("reports").toString(), "TRAINER_RUNS_CODE_REVISION", "it",
                "TRAINER_API_TOKENS", token));
        ServiceProcess trainerProcess = started(ServiceProcess.start("trainer", List.of("-Xmx1g"), List.of(), trainerEnv, dir));
        Map<String, String> scorerEnv = new LinkedHashMap<>();
        kafka.pki().orElseThrow().mutualTlsSettings(KafkaAccess.SCORER)
                .forEach((k, v) -> scorerEnv.put(KafkaSecurity.envName(k), v));
        scorerEnv.putAll(Map.of("QUARKUS_HTTP_HOST", "127.0.0.1", "QUARKUS_HTTP_PORT", String.valueOf(scorerPort),
                "QUARKUS_KAFKA_STREAMS_BOOTSTRAP_SERVERS", kafka.tlsBootstrapServers().orElseThrow(),
                "SCORER_CREATE_TOPICS", "false", "SCORER_WARM_UP", "0s", "SCORER_BATCH_MAX_WAIT", "10ms"));
        ServiceProcess scorerProcess = started(ServiceProcess.start("scorer", List.of("-Xmx768m",
                "-Dkafka-streams.state.dir=" + dir.resolve("streams")), List.of(), scorerEnv, dir));

        ServiceProcess ingestor = ingest(KafkaAccess.INGESTOR);
        assertThat(ingestor.exitCode(START)).as(ingestor.tail()).isZero();
        assertThat(ingestor.output()).contains("SASL_SSL (SCRAM-SHA-512) as ingestor");
        log("ingested");

        trainerProcess.awaitHttp(trainer + "/q/health/ready", START);
        assertThat(trainerProcess.output()).contains("SASL_SSL (SCRAM-SHA-512) as trainer");
        String body = Json.MAPPER.writeValueAsString(Map.of("experimentId", "secured", "sizes", List.of(100),
                "variants", List.of("random"), "hyperparameters", Map.of("maxEpochs", 1, "batchSize", 32,
                        "learningRate", 0.001, "validationSize", 50, "testSize", 100)));
        assertThat(post(trainer + "/experiments", body, null).statusCode()).isEqualTo(401);
        assertThat(post(trainer + "/experiments", body, "not-" + token).statusCode()).isEqualTo(401);
        HttpResponse<String> created = await("the trainer to accept the experiment", START, () -> {
            HttpResponse<String> r = post(trainer + "/experiments", body, token);
            // 409 until the trainer has read the data set's manifest.
            return r.statusCode() == 409 && r.body().contains("no data set") ? null : r;
        });
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        JsonNode finished = await("the run to finish", Duration.ofMinutes(5), () -> {
            JsonNode detail = Json.MAPPER.readTree(get(trainer + "/experiments/secured").body());
            return detail.path("summary").path("finished").asBoolean() ? detail : null;
        });
        JsonNode run = finished.path("runs").get(0);
        assertThat(run.path("state").asText()).as(finished.toString()).isEqualTo("SUCCEEDED");
        String modelId = run.path("modelId").asText();
        log("trained " + modelId);

        scorerProcess.awaitHttp(scorer + "/q/health/live", START);
        assertThat(scorerProcess.output()).contains("Kafka: SSL as the certificate of");
        List<String> ids = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(7);
        try (KafkaProducer<byte[], byte[]> producer = producer(users.settings(KafkaAccess.CLIENT))) {
            for (int i = 0; i < 40; i++) {
                boolean positive = i % 2 == 0;
                String id = "secured-" + i;
                ids.add(id);
                producer.send(new ProducerRecord<>(Topics.REVIEWS.name(), id.getBytes(StandardCharsets.UTF_8),
                        Json.MAPPER.writeValueAsBytes(Map.of("id", id, "text", review(random, positive), "label",
                                positive ? 1 : 0))));
            }
            producer.flush();
        }
        Map<String, Prediction> predictions = readPredictions(ids.size(), Duration.ofMinutes(3));
        assertThat(predictions.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(predictions.values()).allSatisfy(p -> assertThat(p.scores()).singleElement()
                .extracting(Prediction.ModelScore::modelId).isEqualTo(modelId));
        log("scored " + predictions.size() + " reviews");

        // Cancelling needs the token too; a cancelled run stops and is not retried.
        String longRun = Json.MAPPER.writeValueAsString(Map.of("experimentId", "secured-long", "sizes", List.of(100),
                "variants", List.of("random"), "hyperparameters", Map.of("maxEpochs", 100, "patience", 100,
                        "validationSize", 50, "testSize", 100)));
        assertThat(post(trainer + "/experiments", longRun, token).statusCode()).isEqualTo(202);
        await("the long run's first epoch", Duration.ofMinutes(3), () -> Json.MAPPER.readTree(
                get(trainer + "/experiments/secured-long").body()).path("runs").path(0).path("epoch").asInt() >= 1 ? true : null);
        assertThat(delete(trainer + "/experiments/secured-long", null).statusCode()).isEqualTo(401);
        assertThat(delete(trainer + "/experiments/secured-long", token).statusCode()).isEqualTo(202);
        JsonNode cancelled = await("the cancelled run's result", Duration.ofMinutes(2), () -> {
            JsonNode r = Json.MAPPER.readTree(get(trainer + "/experiments/secured-long").body()).path("runs").path(0);
            return r.path("error").asText().contains("cancelled") ? r : null;
        });
        assertThat(cancelled.path("state").asText()).isEqualTo("CANCELLED");
        assertThat(cancelled.path("epoch").asInt()).isLessThan(100);
        log("cancelled after epoch " + cancelled.path("epoch").asInt());
    }

    private static ServiceProcess started(ServiceProcess p) {
        services.add(p);
        return p;
    }

    /** The ingestor's process, as Kafka user {@code user}, publishing the test's archive. */
    private static ServiceProcess ingest(String user) {
        Map<String, String> env = new LinkedHashMap<>(users.environment(user));
        env.put("INGEST_KAFKA_CREATE_TOPICS", "false");
        return started(ServiceProcess.start("ingestor", List.of("-Xmx512m"), List.of("--source", archive.toString(),
                "--no-glove", "--bootstrap-servers", kafka.bootstrapServers(), "--timeout", "30s"), env, dir));
    }

    // ---- data ----

    private static final List<String> POSITIVE = List.of("great", "wonderful", "excellent", "loved", "brilliant",
            "superb", "moving", "beautiful", "enjoyed", "masterpiece");
    private static final List<String> NEGATIVE = List.of("awful", "terrible", "boring", "worst", "waste", "dull",
            "bad", "poor", "stupid", "hated");
    private static final List<String> NEUTRAL = List.of("the", "a", "movie", "film", "plot", "actor", "story", "scene",
            "director", "and", "it", "was", "this", "of", "with");

    /** 200 training and 100 test reviews in aclImdb's layout, half of each positive, from a fixed seed. */
    private static Path writeReviews(Path file) throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("aclImdb/README", "Large Movie Review Dataset v1.0 (a synthetic miniature)");
        SplittableRandom random = new SplittableRandom(17);
        for (String split : List.of("train", "test")) {
            int n = split.equals("train") ? 100 : 50;
            for (int i = 0; i < n; i++) {
                files.put("aclImdb/" + split + "/pos/" + i + "_9.txt", review(random, true));
                files.put("aclImdb/" + split + "/neg/" + i + "_2.txt", review(random, false));
            }
        }
        return AclImdbFixture.writeTarGz(file, files, "aclImdb/");
    }

    private static String review(SplittableRandom random, boolean positive) {
        StringBuilder b = new StringBuilder();
        int words = 20 + random.nextInt(40);
        for (int i = 0; i < words; i++) {
            double u = random.nextDouble();
            List<String> from = u < 0.3 ? (positive ? POSITIVE : NEGATIVE) : u < 0.36 ? (positive ? NEGATIVE : POSITIVE)
                    : NEUTRAL;
            b.append(from.get(random.nextInt(from.size()))).append(i % 9 == 8 ? ". " : " ");
        }
        return b.toString().strip();
    }

    // ---- Kafka ----

    private static Map<String, Object> client(String bootstrap, Map<String, String> settings) {
        Map<String, Object> props = new HashMap<>();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return KafkaSecurity.from(name -> Optional.ofNullable(settings.get(name))).applyTo(props);
    }

    private static void listTopics(String bootstrap, Map<String, String> settings) throws Exception {
        Map<String, Object> props = client(bootstrap, settings);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        try (Admin admin = Admin.create(props)) {
            admin.listTopics().names().get(20, TimeUnit.SECONDS);
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(Map<String, String> settings) {
        Map<String, Object> props = client(kafka.bootstrapServers(), settings);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Reads predictions as the client user (assigned partitions, no group), read-committed. */
    private static Map<String, Prediction> readPredictions(int count, Duration timeout) throws Exception {
        Map<String, Object> props = client(kafka.bootstrapServers(), users.settings(KafkaAccess.CLIENT));
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, Prediction> byId = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.PREDICTIONS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (byId.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    Prediction p = Topics.PREDICTIONS.valueSerde().deserializer().deserialize(r.topic(), r.value());
                    byId.put(p.id(), p);
                }
            }
        }
        return byId;
    }

    // ---- HTTP ----

    private static HttpResponse<String> post(String url, String body, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> delete(String url, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).DELETE();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    // ---- waiting ----

    interface Probe<T> {
        T get() throws Exception;
    }

    /** Polls every 500 ms until {@code probe} gives a value (not null), for at most {@code timeout}. */
    private static <T> T await(String what, Duration timeout, Probe<T> probe) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                StringBuilder logs = new StringBuilder();
                services.forEach(s -> logs.append("\n---- ").append(s.tail()));
                throw new AssertionError("waited " + timeout + " for " + what + logs);
            }
            Thread.sleep(500);
        }
    }

    private static void log(String step) {
        System.out.printf("SecuredPipelineIT: %s after %.1f s%n", step, (System.nanoTime() - started) / 1e9);
    }
}
