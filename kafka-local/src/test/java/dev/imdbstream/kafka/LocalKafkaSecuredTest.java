package dev.imdbstream.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.imdbstream.common.kafka.KafkaAccess;
import dev.imdbstream.common.kafka.KafkaFaults;
import dev.imdbstream.common.kafka.KafkaSecurity;

/** A secured node: TLS, SCRAM and certificate users, ACLs enforced. */
class LocalKafkaSecuredTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    static LocalKafka kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        LocalPki pki = LocalPki.create(dir.resolve("pki"), List.of(LocalKafka.ADMIN, "ingestor", "stranger"));
        kafka = LocalKafka.startSecured(dir.resolve("kafka"), pki);
        try (Admin admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic("imdb.train", 1, (short) 1), new NewTopic("training.jobs", 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        kafka.addScramUser("ingestor", "ingestor-secret");
        kafka.createAcls(KafkaAccess.aclBindings(KafkaAccess.INGESTOR));
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static KafkaProducer<String, String> producer(String bootstrap, Map<String, String> settings) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        KafkaSecurity.from(name -> Optional.ofNullable(settings.get(name))).applyTo(props);
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private static void send(KafkaProducer<String, String> producer, String topic) throws Exception {
        producer.send(new ProducerRecord<>(topic, "k", "v")).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void shouldLetAScramUserWriteWhereItsAclsAllow() throws Exception {
        try (var producer = producer(kafka.bootstrapServers(), kafka.scramSettings("ingestor", "ingestor-secret"))) {
            send(producer, "imdb.train");
            assertThatThrownBy(() -> send(producer, "training.jobs")).hasRootCauseInstanceOf(TopicAuthorizationException.class)
                    .satisfies(e -> assertThat(KafkaFaults.explain(e)).contains("[training.jobs]").contains("no ACL"));
        }
    }

    @Test
    void shouldRefuseAWrongPasswordSayingWhy() {
        try (var producer = producer(kafka.bootstrapServers(), kafka.scramSettings("ingestor", "guessed"))) {
            assertThatThrownBy(() -> send(producer, "imdb.train")).hasRootCauseInstanceOf(SaslAuthenticationException.class)
                    .satisfies(e -> assertThat(KafkaFaults.explain(e)).contains("invalid credentials")
                            .contains("kafka.sasl.password"));
        }
    }

    @Test
    void shouldTakeACertificateAsItsCommonNameUnderMutualTls() throws Exception {
        LocalPki pki = kafka.pki().orElseThrow();
        String tls = kafka.tlsBootstrapServers().orElseThrow();
        // The certificate CN=ingestor is the user ingestor: same ACLs as over SCRAM.
        try (var producer = producer(tls, pki.mutualTlsSettings("ingestor"))) {
            send(producer, "imdb.train");
        }
        // A valid certificate of a user without ACLs is authenticated, then refused.
        try (var producer = producer(tls, pki.mutualTlsSettings("stranger"))) {
            assertThatThrownBy(() -> send(producer, "imdb.train")).hasRootCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void shouldRefuseAClientWithoutCredentials() {
        // TLS with the CA but no certificate on the mutual-TLS listener: the handshake fails.
        Map<String, String> noCertificate = new HashMap<>(kafka.pki().orElseThrow().trustSettings());
        noCertificate.put(KafkaSecurity.PROTOCOL, "SSL");
        Map<String, Object> props = new HashMap<>();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.tlsBootstrapServers().orElseThrow());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        KafkaSecurity.from(name -> Optional.ofNullable(noCertificate.get(name))).applyTo(props);
        try (Admin admin = Admin.create(props)) {
            assertThatThrownBy(() -> admin.listTopics().names().get(20, TimeUnit.SECONDS))
                    .satisfies(e -> assertThat(KafkaFaults.explain(e)).contains("TLS handshake"));
        }
    }
}
