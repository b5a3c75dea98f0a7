package dev.imdbstream.ingestor;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.imdbstream.common.kafka.Topic;
import dev.imdbstream.common.kafka.TopicScan;
import dev.imdbstream.common.kafka.Topics;

/** Reads whole topics as raw bytes (and values) for the tests, every wait bounded. */
final class TopicReader {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private TopicReader() {
    }

    /** Every record of the topic as it is now (raw bytes, with timestamps). */
    static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, Topic<?, ?> topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.LARGE_MESSAGE_BYTES);
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Topics.LARGE_MESSAGE_BYTES);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            return TopicScan.readToEnd(consumer, topic.name(), DEADLINE);
        }
    }

    /** The deserialized values of the topic whose value matches. */
    static <V> List<V> values(String bootstrap, Topic<String, V> topic, Predicate<V> filter) {
        return readAll(bootstrap, topic).stream()
                .map(r -> topic.valueSerde().deserializer().deserialize(topic.name(), r.value()))
                .filter(filter).toList();
    }
}
