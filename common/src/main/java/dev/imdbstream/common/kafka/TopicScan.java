package dev.imdbstream.common.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/** Reads a whole topic from its beginning to its end as of when the read begins: the one way to do so. */
public final class TopicScan {

    private TopicScan() {
    }

    /**
     * Assigns every partition of {@code topic} to {@code consumer} (which must not be subscribed), seeks to the
     * beginning and hands {@code sink} each record below the end offsets of when the read began.
     *
     * @param timeout bound on each metadata call and on a stretch without progress (then Kafka's retriable
     *                {@link TimeoutException}: the broker stopped answering, the data is not at fault)
     * @return the end offsets read up to
     */
    public static <K, V> Map<TopicPartition, Long> readToEnd(org.apache.kafka.clients.consumer.Consumer<K, V> consumer,
            String topic, Duration timeout, Consumer<ConsumerRecord<K, V>> sink) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
        long idleDeadline = System.nanoTime() + timeout.toNanos();
        while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey(), timeout) < e.getValue())) {
            ConsumerRecords<K, V> records = consumer.poll(Duration.ofMillis(200));
            if (!records.isEmpty()) {
                idleDeadline = System.nanoTime() + timeout.toNanos();
            } else if (System.nanoTime() > idleDeadline) {
                throw new TimeoutException("no progress reading " + topic + " to its end for " + timeout);
            }
            for (ConsumerRecord<K, V> r : records) {
                if (r.offset() < ends.get(new TopicPartition(r.topic(), r.partition()))) {
                    sink.accept(r);
                }
            }
        }
        return ends;
    }

    /** Every record of {@code topic} up to its end as of when the read began; see the other form. */
    public static <K, V> List<ConsumerRecord<K, V>> readToEnd(org.apache.kafka.clients.consumer.Consumer<K, V> consumer,
            String topic, Duration timeout) {
        List<ConsumerRecord<K, V>> out = new ArrayList<>();
        readToEnd(consumer, topic, timeout, out::add);
        return out;
    }
}
