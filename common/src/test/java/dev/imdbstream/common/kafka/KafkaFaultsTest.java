package dev.imdbstream.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutionException;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

import java.util.Set;

class KafkaFaultsTest {

    @Test
    void shouldCallTimeoutsAndDisconnectionsTransientWhereverTheyAreInTheCauses() {
        assertThat(KafkaFaults.isTransient(new TimeoutException("Expiring 1 record(s)"))).isTrue();
        assertThat(KafkaFaults.isTransient(new KafkaException("cannot send",
                new ExecutionException(new NetworkException("disconnected"))))).isTrue();
        assertThat(KafkaFaults.isTransient(new IllegalStateException("view did not catch up",
                new java.util.concurrent.TimeoutException("30 s")))).isTrue();
    }

    @Test
    void shouldCallFaultsOfTheWorkItselfPermanent() {
        assertThat(KafkaFaults.isTransient(new KafkaException("cannot send", new RecordTooLargeException("8 MB")))).isFalse();
        assertThat(KafkaFaults.isTransient(new SerializationException("bad bytes"))).isFalse();
        assertThat(KafkaFaults.isTransient(new TopicAuthorizationException("training.metrics"))).isFalse();
        assertThat(KafkaFaults.isTransient(new IllegalArgumentException("NaN"))).isFalse();
        assertThat(KafkaFaults.isTransient(null)).isFalse();
    }

    @Test
    void shouldSayWhyTheBrokerRefusedAClient() {
        var badPassword = new KafkaException("cannot connect", new SaslAuthenticationException(
                "Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512"));
        assertThat(KafkaFaults.isRefusal(badPassword)).isTrue();
        assertThat(KafkaFaults.isTransient(badPassword)).isFalse();
        assertThat(KafkaFaults.explain(badPassword)).contains("invalid credentials").contains("kafka.sasl.username");

        var noAcl = new TopicAuthorizationException(Set.of("training.jobs"));
        assertThat(KafkaFaults.explain(noAcl)).contains("[training.jobs]").contains("no ACL");
        assertThat(KafkaFaults.explain(new RecordTooLargeException("8 MB"))).isEqualTo("8 MB");
        assertThat(KafkaFaults.isRefusal(new NetworkException("disconnected"))).isFalse();
    }
}
