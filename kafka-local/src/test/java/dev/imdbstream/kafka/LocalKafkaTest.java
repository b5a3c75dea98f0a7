package dev.imdbstream.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clients against one real node shared by the tests of this class. */
class LocalKafkaTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    static LocalKafka kafka;

    @BeforeAll
    static void startKafka() {
        kafka = LocalKafka.start(dir);
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldReadBackWhatAnIdempotentProducerWrote() throws Exception {
        createTopic(kafka, "plain", 3);
        List<String> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer(kafka, Map.of())) {
            for (int i = 0; i < 100; i++) {
                sent.add("value-" + i);
                producer.send(new ProducerRecord<>("plain", "key-" + i, "value-" + i)).get(WAIT.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        }

        List<ConsumerRecord<String, String>> read = readAll(kafka, "plain", 100, "read_uncommitted");

        assertThat(read).extracting(ConsumerRecord::value).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(read).allSatisfy(r -> assertThat(r.key()).isEqualTo("key-" + r.value().substring(6)));
    }

    @Test
    void shouldShowCommittedTransactionsOnlyToReadCommittedConsumers() throws Exception {
        createTopic(kafka, "transactional", 1);
        try (KafkaProducer<String, String> producer = producer(kafka,
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "local-kafka-test-tx"))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("transactional", "a", "aborted"));
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("transactional", "c", "committed-1"));
            producer.send(new ProducerRecord<>("transactional", "c", "committed-2"));
            producer.commitTransaction();
        }

        List<ConsumerRecord<String, String>> read = readAll(kafka, "transactional", 2, "read_committed");

        assertThat(read).extracting(ConsumerRecord::value).containsExactly("committed-1", "committed-2");
    }

    @Test
    void shouldAcceptRecordsAboveTheClientDefaultMaximum() throws Exception {
        createTopic(kafka, "large", 1);
        byte[] value = new byte[5 * 1024 * 1024];
        value[value.length - 1] = 42;
        Map<String, Object> common = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        Map<String, Object> producerConfig = new java.util.HashMap<>(common);
        producerConfig.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("large", value)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        Map<String, Object> consumerConfig = new java.util.HashMap<>(common);
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(new org.apache.kafka.common.TopicPartition("large", 0)));
            consumer.seekToBeginning(consumer.assignment());
            long deadline = System.nanoTime() + WAIT.toNanos();
            List<byte[]> read = new ArrayList<>();
            while (read.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> read.add(r.value()));
            }
            assertThat(read).hasSize(1);
            assertThat(read.get(0)).isEqualTo(value);
        }
    }

    static void createTopic(LocalKafka kafka, String name, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(WAIT.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    static KafkaProducer<String, String> producer(LocalKafka kafka, Map<String, Object> extra) {
        Map<String, Object> config = new java.util.HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) WAIT.toMillis()));
        config.putAll(extra);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    /** Reads a topic from the start until {@code expected} records arrived or {@link #WAIT} passed. */
    static List<ConsumerRecord<String, String>> readAll(LocalKafka kafka, String topic, int expected,
            String isolation) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + topic + "-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        List<ConsumerRecord<String, String>> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (read.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(read::add);
            }
            // One more poll: anything beyond the expected records (duplicates, aborted data) would show here.
            consumer.poll(Duration.ofMillis(500)).forEach(read::add);
        }
        return read;
    }
}
