package dev.imdbstream.trainer.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

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
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import dev.imdbstream.common.kafka.KafkaSecurity;
import dev.imdbstream.common.kafka.Topic;
import dev.imdbstream.common.kafka.Topics;
import dev.imdbstream.trainer.config.TrainerConfig;

/**
 * The service's Kafka clients: one shared idempotent producer (for training.jobs, training.metrics,
 * training.results, training.cancellations and models), an admin client, and factories for the consumers; every one
 * authenticates and encrypts as {@link KafkaSecurity} reads it from the {@code kafka.*} settings. Values travel as bytes
 * and are (de)serialized with the topics' serdes by the callers, so that a bad record is an error the
 * caller handles rather than an exception inside {@code poll}.
 */
@ApplicationScoped
public class KafkaClients {

    private static final Logger LOG = Logger.getLogger(KafkaClients.class);
    private static final long WAIT_LOG_SECONDS = 10;

    private final TrainerConfig config;
    private final KafkaSecurity security;
    private final AtomicInteger waitingSends = new AtomicInteger();
    private volatile KafkaProducer<String, byte[]> producer;
    private volatile Admin admin;

    public KafkaClients(TrainerConfig config, MeterRegistry meters, org.eclipse.microprofile.config.Config settings) {
        this.config = config;
        this.security = KafkaSecurity.from(name -> settings.getOptionalValue(name, String.class));
        LOG.infof("Kafka at %s: %s", config.kafka().bootstrapServers(), security.describe());
        Gauge.builder("trainer.kafka.sends.waiting", waitingSends, AtomicInteger::get)
                .description("Records waiting over " + WAIT_LOG_SECONDS + " s for Kafka's acknowledgement (broker down)")
                .register(meters);
    }

    public String bootstrapServers() {
        return config.kafka().bootstrapServers();
    }

    /**
     * Sends one record and waits for its acknowledgement. While the broker is unreachable the idempotent producer
     * keeps retrying a record it has accepted (without duplicates) for up to {@code trainer.kafka.delivery-timeout};
     * meanwhile this logs every {@value #WAIT_LOG_SECONDS} s and counts in {@code trainer_kafka_sends_waiting}. A record
     * the producer cannot accept within {@code trainer.kafka.request-timeout} (no partition leader known) fails as a
     * broker fault at once.
     *
     * @throws KafkaException when the record was not delivered: {@link dev.imdbstream.common.kafka.KafkaFaults}
     *                        tells a broker outage (retried by the caller) from a bad record
     */
    public <V> RecordMetadata send(Topic<String, V> topic, String key, V value) {
        byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
        long started = System.nanoTime();
        boolean waiting = false;
        try {
            Future<RecordMetadata> ack = producer().send(new ProducerRecord<>(topic.name(), key, bytes));
            while (true) {
                try {
                    return ack.get(WAIT_LOG_SECONDS, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    if (!waiting) {
                        waiting = true;
                        waitingSends.incrementAndGet();
                    }
                    LOG.warnf("waiting for Kafka (%s) to acknowledge %s on %s: %d s so far, retrying until %s",
                            bootstrapServers(), key, topic.name(), (System.nanoTime() - started) / 1_000_000_000L,
                            config.kafka().deliveryTimeout());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while sending to " + topic.name(), e);
        } catch (ExecutionException e) {
            throw new KafkaException("cannot send " + key + " to " + topic.name() + ": " + e.getCause(), e.getCause());
        } finally {
            if (waiting) {
                waitingSends.decrementAndGet();
                LOG.infof("Kafka acknowledged or gave up on %s on %s after %d s", key, topic.name(),
                        (System.nanoTime() - started) / 1_000_000_000L);
            }
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
            // A broker outage shorter than this costs no run anything: the producer retries, the run waits.
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) config.kafka().deliveryTimeout().toMillis());
            props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) config.kafka().requestTimeout().toMillis() / 2);
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) config.kafka().requestTimeout().toMillis());
            props.put(ProducerConfig.CLIENT_ID_CONFIG, "trainer-producer");
            producer = new KafkaProducer<>(security.applyTo(props), new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    public synchronized Admin admin() {
        if (admin == null) {
            Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
            props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) config.kafka().requestTimeout().toMillis());
            props.put(AdminClientConfig.CLIENT_ID_CONFIG, "trainer-admin");
            admin = Admin.create(security.applyTo(props));
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
     * The member of the trainers' group on training.jobs: manual commits, up to {@code maxPollRecords} records a
     * poll (the job consumer's look-ahead: jobs wait in it, largest first, until a slot is free), cooperative
     * rebalancing so that an instance joining or leaving does not stop the runs of the others.
     */
    public KafkaConsumer<String, byte[]> jobConsumer(String clientId, int maxPollRecords) {
        Map<String, Object> props = baseConsumer(clientId);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.kafka().groupId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, List.of(CooperativeStickyAssignor.class.getName()));
        // Static membership: a restarted instance (same id) gets its partitions back without a rebalance, and its
        // jobs resume from their checkpoints in its own volume.
        config.kafka().groupInstanceId().filter(id -> !id.isBlank())
                .ifPresent(id -> props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id));
        config.kafka().sessionTimeout()
                .ifPresent(t -> props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) t.toMillis()));
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private Map<String, Object> baseConsumer(String clientId) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Topics.LARGE_MESSAGE_BYTES);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.LARGE_MESSAGE_BYTES);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) config.kafka().requestTimeout().toMillis());
        return security.applyTo(props);
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
