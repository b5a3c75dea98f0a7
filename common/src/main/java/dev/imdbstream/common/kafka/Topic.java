package dev.imdbstream.common.kafka;

import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Serde;

/**
 * A topic's name bound to its key and value serdes and to the settings it is created with.
 *
 * @param partitions default partition count (deployments may override it)
 * @param configs topic-level configs ({@code cleanup.policy}, {@code max.message.bytes}, ...)
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, int partitions,
        Map<String, String> configs) {

    /** The topic with its partitions and configs, and the broker's default replication factor. */
    public NewTopic newTopic() {
        return new NewTopic(name, java.util.Optional.of(partitions), java.util.Optional.empty()).configs(configs);
    }

    public NewTopic newTopic(short replicationFactor) {
        return newTopic(partitions, replicationFactor);
    }

    public NewTopic newTopic(int partitionCount, short replicationFactor) {
        return new NewTopic(name, partitionCount, replicationFactor).configs(configs);
    }

    /** The largest record this topic accepts, for producers' {@code max.request.size} and consumers' fetch sizes. */
    public int maxMessageBytes() {
        return Integer.parseInt(configs.getOrDefault("max.message.bytes", String.valueOf(Topics.DEFAULT_MAX_MESSAGE_BYTES)));
    }
}
