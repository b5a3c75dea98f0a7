package dev.imdbstream.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaSecurityTest {

    @TempDir
    Path dir;

    private static KafkaSecurity of(Map<String, String> settings) {
        return KafkaSecurity.from(name -> Optional.ofNullable(settings.get(name)));
    }

    @Test
    void shouldBePlaintextWhenNothingIsSet() {
        KafkaSecurity s = of(Map.of());
        assertThat(s.clientProperties()).containsExactly(Map.entry("security.protocol", "PLAINTEXT"));
        assertThat(s.authenticated()).isFalse();
        assertThat(s.describe()).isEqualTo("PLAINTEXT");
    }

    @Test
    void shouldBuildScramOverTlsFromUserAndPassword() throws IOException {
        Path truststore = Files.writeString(dir.resolve("ca.p12"), "x");
        KafkaSecurity s = of(Map.of(KafkaSecurity.PROTOCOL, "sasl_ssl", KafkaSecurity.SASL_USERNAME, "trainer",
                KafkaSecurity.SASL_PASSWORD, "p\"w\\d", KafkaSecurity.TRUSTSTORE_LOCATION, truststore.toString(),
                KafkaSecurity.TRUSTSTORE_PASSWORD, "changeit", KafkaSecurity.TRUSTSTORE_TYPE, "pkcs12"));
        assertThat(s.clientProperties()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"trainer\" password=\"p\\\"w\\\\d\";")
                .containsEntry("ssl.truststore.location", truststore.toString())
                .containsEntry("ssl.truststore.type", "PKCS12")
                .containsEntry("ssl.truststore.password", "changeit");
        assertThat(s.describe()).isEqualTo("SASL_SSL (SCRAM-SHA-512) as trainer").doesNotContain("changeit");
        assertThat(s.authenticated()).isTrue();
        assertThat(s.applyTo(new HashMap<String, Object>(Map.of("bootstrap.servers", "b:9093"))))
                .containsEntry("bootstrap.servers", "b:9093").containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void shouldTakeAWholeJaasLineAsStrimziWritesIt() {
        String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"scorer\" password=\"s\";";
        KafkaSecurity s = of(Map.of(KafkaSecurity.PROTOCOL, "SASL_SSL", KafkaSecurity.SASL_JAAS_CONFIG, jaas));
        assertThat(s.clientProperties()).containsEntry("sasl.jaas.config", jaas);
        assertThat(s.describe()).endsWith("as scorer");
    }

    @Test
    void shouldUseTheKeyStoreForMutualTls() throws IOException {
        Path keystore = Files.writeString(dir.resolve("scorer.p12"), "x");
        KafkaSecurity s = of(Map.of(KafkaSecurity.PROTOCOL, "SSL", KafkaSecurity.KEYSTORE_LOCATION, keystore.toString(),
                KafkaSecurity.KEYSTORE_PASSWORD, "k", KafkaSecurity.ENDPOINT_IDENTIFICATION, "none"));
        assertThat(s.clientProperties()).containsEntry("ssl.keystore.location", keystore.toString())
                .containsEntry("ssl.keystore.password", "k").containsEntry("ssl.endpoint.identification.algorithm", "")
                .doesNotContainKey("sasl.jaas.config");
        assertThat(s.authenticated()).isTrue();
    }

    @Test
    void shouldRefuseCombinationsThatCannotWorkNamingTheSetting() {
        assertThatThrownBy(() -> of(Map.of(KafkaSecurity.PROTOCOL, "SASL_SSL", KafkaSecurity.SASL_USERNAME, "trainer")))
                .hasMessageContaining("kafka.sasl.password is not set");
        assertThatThrownBy(() -> of(Map.of(KafkaSecurity.PROTOCOL, "TLS")))
                .hasMessageContaining("kafka.security.protocol must be one of");
        assertThatThrownBy(() -> of(Map.of(KafkaSecurity.PROTOCOL, "SASL_SSL", KafkaSecurity.SASL_MECHANISM, "GSSAPI",
                KafkaSecurity.SASL_USERNAME, "u", KafkaSecurity.SASL_PASSWORD, "p")))
                .hasMessageContaining("kafka.sasl.mechanism must be one of [PLAIN, SCRAM-SHA-256, SCRAM-SHA-512]");
        assertThatThrownBy(() -> of(Map.of(KafkaSecurity.SASL_USERNAME, "u", KafkaSecurity.SASL_PASSWORD, "p")))
                .hasMessageContaining("does not use SASL");
        assertThatThrownBy(() -> of(Map.of(KafkaSecurity.PROTOCOL, "SSL", KafkaSecurity.TRUSTSTORE_LOCATION,
                dir.resolve("missing.p12").toString()))).hasMessageContaining("kafka.ssl.truststore.location")
                .hasMessageContaining("is not a readable file");
        assertThatThrownBy(() -> of(Map.of(KafkaSecurity.KEYSTORE_LOCATION, "/x.p12")))
                .hasMessageContaining("does not use TLS");
    }

    @Test
    void shouldNameTheEnvironmentVariablesAsMicroProfileConfigDoes() {
        assertThat(KafkaSecurity.envName(KafkaSecurity.SASL_USERNAME)).isEqualTo("KAFKA_SASL_USERNAME");
        assertThat(KafkaSecurity.envName(KafkaSecurity.ENDPOINT_IDENTIFICATION))
                .isEqualTo("KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM");
    }
}
