package dev.imdbstream.ingestor.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import dev.imdbstream.common.kafka.KafkaFaults;
import dev.imdbstream.common.kafka.KafkaSecurity;
import dev.imdbstream.common.kafka.Topic;
import dev.imdbstream.common.kafka.TopicCreation;
import dev.imdbstream.common.kafka.TopicScan;
import dev.imdbstream.common.kafka.Topics;
import dev.imdbstream.common.schema.EmbeddingMatrix;
import dev.imdbstream.common.schema.ReviewSequence;
import dev.imdbstream.common.schema.VocabularyRecord;

/**
 * Publishes one prepared data set. Produces {@code imdb.train}, {@code imdb.test}, {@code imdb.unsup} (key
 * {@code <datasetId>/<review id>}, value {@link ReviewSequence}) and {@code imdb.embeddings} (key
 * {@code <datasetId>/<name>}, value {@link EmbeddingMatrix}), waits until the broker acknowledged every one of
 * them, and only then produces the manifest on {@code imdb.vocab} (key dataset id, value
 * {@link VocabularyRecord}): a consumer that sees the manifest can rely on the data being there, and a failed
 * run leaves no manifest. The producer is idempotent with {@code acks=all}; every wait is bounded. Every client
 * authenticates and encrypts as its {@link KafkaSecurity} says.
 */
public final class DatasetPublisher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DatasetPublisher.class);

    /** Receives the count of acknowledged records as they come in. */
    public interface Listener {
        void acknowledged(long acked, long sent);
    }

    private final String bootstrapServers;
    private final KafkaSecurity security;
    private final Duration timeout;
    private final Map<String, String> producerOverrides;
    private KafkaProducer<byte[], byte[]> producer;

    /**
     * @param timeout           bound on reaching the broker and on each request
     * @param producerOverrides raw producer settings (compression, batching); the delivery guarantees are not
     *                          overridable
     */
    public DatasetPublisher(String bootstrapServers, KafkaSecurity security, Duration timeout,
            Map<String, String> producerOverrides) {
        this.bootstrapServers = bootstrapServers;
        this.security = security;
        this.timeout = timeout;
        this.producerOverrides = Map.copyOf(producerOverrides);
    }

    /**
     * Checks that the broker answers and creates the topics with their settings; existing topics are kept
     * (a warning names any setting that differs from {@link Topics}).
     */
    public void createTopics(Collection<Topic<?, ?>> topics) throws KafkaUnavailableException {
        try (Admin admin = admin()) {
            String clusterId = admin.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.infof("connected to Kafka cluster %s at %s", clusterId, bootstrapServers);
            List<String> existing = TopicCreation.createMissing(admin, topics, Optional.empty(), timeout);
            warnAboutDifferingSettings(admin, topics, existing);
            awaitLeaders(admin, topics);
        } catch (TimeoutException e) {
            throw unreachable(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw unreachable(e.getCause());
            }
            throw new KafkaUnavailableException("Kafka at " + bootstrapServers + " refused to create the topics: "
                    + KafkaFaults.explain(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("interrupted while creating topics", e);
        }
    }

    /**
     * Checks that the broker answers and that {@code topics} exist with leaders, creating nothing: on a secured
     * cluster an administrator creates the topics and the ingestor's user may only write {@code imdb.*}.
     */
    public void checkTopics(Collection<Topic<?, ?>> topics) throws KafkaUnavailableException {
        try (Admin admin = admin()) {
            Map<String, TopicDescription> found = new HashMap<>();
            for (var e : admin.describeTopics(topics.stream().map(Topic::name).toList()).topicNameValues().entrySet()) {
                try {
                    found.put(e.getKey(), e.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
                } catch (ExecutionException ex) {
                    if (ex.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
                        throw new KafkaUnavailableException("topic " + e.getKey() + " does not exist on Kafka at "
                                + bootstrapServers + ": create the topics first (deploy/kafka/create-topics.sh), or let"
                                + " the ingestor create them (ingest.kafka.create-topics=true)", ex.getCause());
                    }
                    throw ex;
                }
            }
            LOG.infof("topics present on %s: %s", bootstrapServers, found.keySet());
            awaitLeaders(admin, topics);
        } catch (TimeoutException e) {
            throw unreachable(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw unreachable(e.getCause());
            }
            throw new KafkaUnavailableException("Kafka at " + bootstrapServers + " refused to describe the topics: "
                    + KafkaFaults.explain(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("interrupted while checking topics", e);
        }
    }

    private Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        return Admin.create(security.applyTo(props));
    }

    private KafkaUnavailableException unreachable(Throwable cause) {
        return new KafkaUnavailableException("cannot reach Kafka at " + bootstrapServers + " within "
                + timeout.toSeconds() + " s: is the broker running? (set --bootstrap-servers)", cause);
    }

    /** New partitions get their leader a moment after creation; producing before that only causes retries. */
    private void awaitLeaders(Admin admin, Collection<Topic<?, ?>> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<String> names = topics.stream().map(Topic::name).toList();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            boolean ready = described.values().stream()
                    .allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
            if (ready) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("topic partitions have no leader after " + timeout.toSeconds() + " s");
            }
            Thread.sleep(100);
        }
    }

    private void warnAboutDifferingSettings(Admin admin, Collection<Topic<?, ?>> topics, List<String> existing)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (existing.isEmpty()) {
            return;
        }
        List<ConfigResource> resources = existing.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        for (Topic<?, ?> topic : topics) {
            Config actual = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()));
            if (actual == null) {
                continue;
            }
            topic.configs().forEach((key, value) -> {
                var entry = actual.get(key);
                if (entry != null && !value.equals(entry.value())) {
                    LOG.warnf("existing topic %s has %s=%s, the project's setting is %s", topic.name(), key,
                            entry.value(), value);
                }
            });
        }
        LOG.infof("topics already present: %s", existing);
    }

    /**
     * Publishes the reviews and embeddings, waits for every acknowledgement, then publishes the manifest.
     *
     * @throws KafkaUnavailableException when a record is not acknowledged; the manifest is then not published
     */
    public void publish(Map<Topic<String, ReviewSequence>, List<ReviewSequence>> reviews,
            List<EmbeddingMatrix> embeddings, VocabularyRecord manifest, Listener listener)
            throws KafkaUnavailableException {
        KafkaProducer<byte[], byte[]> p = producer();
        AtomicLong acked = new AtomicLong();
        AtomicLong sent = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        for (Map.Entry<Topic<String, ReviewSequence>, List<ReviewSequence>> e : reviews.entrySet()) {
            Topic<String, ReviewSequence> topic = e.getKey();
            for (ReviewSequence review : e.getValue()) {
                send(p, topic, review.key(), review, acked, sent, failure, listener);
                if (failure.get() != null) {
                    break;
                }
            }
        }
        for (EmbeddingMatrix matrix : embeddings) {
            send(p, Topics.EMBEDDINGS, EmbeddingMatrix.key(matrix.datasetId(), matrix.name()), matrix, acked, sent,
                    failure, listener);
        }
        // Bounded: each record fails after delivery.timeout.ms at the latest.
        p.flush();
        if (failure.get() != null) {
            throw new KafkaUnavailableException("Kafka at " + bootstrapServers + " did not acknowledge every record ("
                    + acked.get() + " of " + sent.get() + "): " + KafkaFaults.explain(failure.get())
                    + "; the imdb.vocab manifest was not published", failure.get());
        }
        try {
            p.send(record(Topics.VOCAB, manifest.datasetId(), manifest))
                    .get(timeout.toMillis() * 4, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new KafkaUnavailableException("Kafka did not acknowledge the imdb.vocab manifest: "
                    + KafkaFaults.explain(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaUnavailableException("Kafka did not acknowledge the imdb.vocab manifest within "
                    + timeout.toSeconds() * 4 + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("interrupted while publishing the manifest", e);
        }
    }

    private final AtomicLong streamAcked = new AtomicLong();
    private final AtomicLong streamSent = new AtomicLong();
    private final AtomicReference<Exception> streamFailure = new AtomicReference<>();

    /**
     * Sends one record of a stream produced while work goes on (the review embeddings): acknowledged in the
     * background; {@link #awaitStream} waits for every one. Thread-safe.
     *
     * @throws KafkaUnavailableException when an earlier record of the stream failed, or the broker is gone
     */
    public <V> void stream(Topic<String, V> topic, String key, V value) throws KafkaUnavailableException {
        if (streamFailure.get() != null) {
            throw streamFailed(topic);
        }
        send(producer(), topic, key, value, streamAcked, streamSent, streamFailure, (acked, sent) -> { });
    }

    /** Waits until every record {@link #stream} sent is acknowledged; returns how many were. */
    public long awaitStream(Topic<String, ?> topic) throws KafkaUnavailableException {
        producer().flush();
        if (streamFailure.get() != null) {
            throw streamFailed(topic);
        }
        return streamAcked.get();
    }

    private KafkaUnavailableException streamFailed(Topic<String, ?> topic) {
        return new KafkaUnavailableException("Kafka at " + bootstrapServers + " did not acknowledge every record on "
                + topic.name() + " (" + streamAcked.get() + " of " + streamSent.get() + "): "
                + KafkaFaults.explain(streamFailure.get()), streamFailure.get());
    }

    /** The keys on a compacted topic that start with {@code prefix} and hold a value (its latest record). */
    public Set<String> keys(Topic<String, ?> topic, String prefix) throws KafkaUnavailableException {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "imdb-ingestor-keys");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.LARGE_MESSAGE_BYTES);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        Set<String> keys = new HashSet<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(security.applyTo(props),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicScan.readToEnd(consumer, topic.name(), timeout, r -> {
                if (r.key() != null && r.key().startsWith(prefix)) {
                    if (r.value() == null) {
                        keys.remove(r.key());
                    } else {
                        keys.add(r.key());
                    }
                }
            });
        } catch (KafkaException e) {
            throw new KafkaUnavailableException("cannot read " + topic.name() + " at " + bootstrapServers + ": "
                    + KafkaFaults.explain(e), e);
        }
        return keys;
    }

    private <V> void send(KafkaProducer<byte[], byte[]> p, Topic<String, V> topic, String key, V value,
            AtomicLong acked, AtomicLong sent, AtomicReference<Exception> failure, Listener listener)
            throws KafkaUnavailableException {
        long n = sent.incrementAndGet();
        try {
            p.send(record(topic, key, value), (metadata, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                } else {
                    listener.acknowledged(acked.incrementAndGet(), sent.get());
                }
            });
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            // send() blocks for metadata up to max.block.ms when the broker is gone.
            throw new KafkaUnavailableException("Kafka at " + bootstrapServers + " did not answer within "
                    + timeout.toSeconds() + " s while sending record " + n + " to " + topic.name()
                    + "; the imdb.vocab manifest was not published", e);
        }
    }

    private static <V> ProducerRecord<byte[], byte[]> record(Topic<String, V> topic, String key, V value) {
        return new ProducerRecord<>(topic.name(), topic.keySerde().serializer().serialize(topic.name(), key),
                topic.valueSerde().serializer().serialize(topic.name(), value));
    }

    private synchronized KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            Map<String, Object> props = new HashMap<>(producerOverrides);
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            props.put(ProducerConfig.CLIENT_ID_CONFIG, "imdb-ingestor");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
            // The embedding matrix (10,000 x 100 floats, base64 in JSON) is about 5 MB.
            props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.LARGE_MESSAGE_BYTES);
            props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, (long) Topics.LARGE_MESSAGE_BYTES * 2);
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
            props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis() * 4);
            producer = new KafkaProducer<>(security.applyTo(props), new ByteArraySerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(timeout);
        }
    }
}
