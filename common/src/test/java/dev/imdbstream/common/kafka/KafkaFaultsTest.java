package dev.imdbstream.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutionException;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

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
}
