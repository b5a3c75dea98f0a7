package dev.imdbstream.scorer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;

import dev.imdbstream.common.kafka.Topics;

/** Plain Kafka clients for integration tests and the benchmark; every wait is bounded. */
public final class KafkaTestClients {

    private KafkaTestClients() {
    }

    public static KafkaProducer<byte[], byte[]> producer(String bootstrapServers) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 2,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.LARGE_MESSAGE_BYTES),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A group-less consumer of the whole topic from its start; read_committed unless told otherwise. */
    public static <V> KafkaConsumer<byte[], V> consumer(String bootstrapServers, String topic, Deserializer<V> values,
            boolean readCommitted) {
        KafkaConsumer<byte[], V> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted"),
                new ByteArrayDeserializer(), values);
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    /** Polls until {@code done} holds for everything read so far, or the timeout passes; returns what was read. */
    public static <V> List<ConsumerRecord<byte[], V>> pollUntil(KafkaConsumer<byte[], V> consumer,
            Predicate<List<ConsumerRecord<byte[], V>>> done, Duration timeout) {
        List<ConsumerRecord<byte[], V>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(records) && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }
}
