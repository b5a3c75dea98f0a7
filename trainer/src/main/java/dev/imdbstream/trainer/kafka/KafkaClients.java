package dev.imdbstream.trainer.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.imdbstream.common.kafka.Topic;
import dev.imdbstream.common.kafka.Topics;
import dev.imdbstream.trainer.config.TrainerConfig;

/**
 * The service's Kafka clients: one shared idempotent producer (for training.jobs, training.metrics,
 * training.results and models), an admin client, and factories for the consumers. Values travel as bytes
 * and are (de)serialized with the topics' serdes by the callers, so that a bad record is an error the
 * caller handles rather than an exception inside {@code poll}.
 */
@ApplicationScoped
public class KafkaClients {

    private final TrainerConfig config;
    private volatile KafkaProducer<String, byte[]> producer;
    private volatile Admin admin;

    public KafkaClients(TrainerConfig config) {
        this.config = config;
    }

    public String bootstrapServers() {
        return config.kafka().bootstrapServers();
    }

    /** Sends one record and waits for its acknowledgement (bounded by the request timeout). */
    public <V> RecordMetadata send(Topic<String, V> topic, String key, V value) {
        byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
        try {
            return producer().send(new ProducerRecord<>(topic.name(), key, bytes))
                    .get(config.kafka().requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while sending to " + topic.name(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("cannot send " + key + " to " + topic.name() + ": " + e.getMessage(), e);
        }
    }

    public synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Map<String, Object> props = new HashMap<>();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            // Artifacts carry about 5 MB of weights, base64 in JSON.
            props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.LARGE_MESSAGE_BYTES);
            props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 2L * Topics.LARGE_MESSAGE_BYTES);
            props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
            props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) config.kafka().requestTimeout().toMillis());
            props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) config.kafka().requestTimeout().toMillis() / 2);
            props.put(ProducerConfig.CLIENT_ID_CONFIG, "trainer-producer");
            producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    public synchronized Admin admin() {
        if (admin == null) {
            Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
            props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) config.kafka().requestTimeout().toMillis());
            props.put(AdminClientConfig.CLIENT_ID_CONFIG, "trainer-admin");
            admin = Admin.create(props);
        }
        return admin;
    }

    /** A consumer without a group, for reading topics from the beginning by explicit assignment. */
    public KafkaConsumer<String, byte[]> readerConsumer(String clientId) {
        Map<String, Object> props = baseConsumer(clientId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * The member of the trainers' group on training.jobs: manual commits, one record a poll (the consumer
     * only asks for work it has room for), cooperative rebalancing so that an instance joining or leaving
     * does not stop the runs of the others.
     */
    public KafkaConsumer<String, byte[]> jobConsumer(String clientId) {
        Map<String, Object> props = baseConsumer(clientId);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.kafka().groupId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, List.of(CooperativeStickyAssignor.class.getName()));
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private Map<String, Object> baseConsumer(String clientId) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Topics.LARGE_MESSAGE_BYTES);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.LARGE_MESSAGE_BYTES);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) config.kafka().requestTimeout().toMillis());
        return props;
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(10));
        }
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(10));
        }
    }
}
