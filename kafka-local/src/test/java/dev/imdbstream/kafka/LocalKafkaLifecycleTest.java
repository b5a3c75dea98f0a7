package dev.imdbstream.kafka;

import static dev.imdbstream.kafka.LocalKafkaTest.createTopic;
import static dev.imdbstream.kafka.LocalKafkaTest.producer;
import static dev.imdbstream.kafka.LocalKafkaTest.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting, stopping and restarting nodes; each test owns its node. */
class LocalKafkaLifecycleTest {

    @TempDir
    Path dir;

    @Test
    void shouldKeepTopicsAndRecordsAcrossARestartOnTheSameDirectory() throws Exception {
        try (LocalKafka kafka = LocalKafka.start(dir)) {
            createTopic(kafka, "durable", 2);
            try (KafkaProducer<String, String> producer = producer(kafka, Map.of())) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("durable", "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
                }
            }
        }

        try (LocalKafka restarted = LocalKafka.start(dir)) {
            List<ConsumerRecord<String, String>> read = readAll(restarted, "durable", 10, "read_committed");

            assertThat(read).extracting(ConsumerRecord::value)
                    .containsExactlyInAnyOrder("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9");
        }
    }

    @Test
    void shouldLeaveNoNonDaemonThreadsBehindWhenClosed() throws Exception {
        Set<Thread> before = liveNonDaemonThreads();
        try (LocalKafka kafka = LocalKafka.start(dir)) {
            createTopic(kafka, "used", 1);
            try (KafkaProducer<String, String> producer = producer(kafka, Map.of())) {
                producer.send(new ProducerRecord<>("used", "k", "v")).get(30, TimeUnit.SECONDS);
            }
            assertThat(readAll(kafka, "used", 1, "read_committed")).hasSize(1);
        }

        // Threads asked to stop may need a moment to end; the wait is bounded.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Set<Thread> left = leftOver(before);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            left = leftOver(before);
        }
        assertThat(left).extracting(Thread::getName).isEmpty();
    }

    @Test
    void shouldFailClearlyWhenThePortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> LocalKafka.start(dir, taken.getLocalPort()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort())
                    .hasMessageContaining("did not start");
        }
    }

    private static Set<Thread> leftOver(Set<Thread> before) {
        Set<Thread> now = liveNonDaemonThreads();
        now.removeAll(before);
        return now;
    }

    private static Set<Thread> liveNonDaemonThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !t.isDaemon())
                .collect(Collectors.toSet());
    }
}
