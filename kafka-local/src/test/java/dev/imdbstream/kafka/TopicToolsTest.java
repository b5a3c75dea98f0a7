package dev.imdbstream.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.imdbstream.common.kafka.TopicCreation;
import dev.imdbstream.common.kafka.TopicScan;
import dev.imdbstream.common.kafka.Topics;

/** common's TopicCreation and TopicScan against a real node. */
class TopicToolsTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void shouldCreateOnlyMissingTopicsAndReadATopicToItsEnd() throws Exception {
        try (LocalKafka kafka = LocalKafka.start(dir);
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            assertThat(TopicCreation.createMissing(admin, List.of(Topics.REVIEWS), Optional.empty(), WAIT)).isEmpty();
            assertThat(TopicCreation.createMissing(admin, List.of(Topics.REVIEWS, Topics.MODELS), Optional.empty(), WAIT))
                    .containsExactly(Topics.REVIEWS.name());
            assertThat(admin.describeTopics(List.of(Topics.REVIEWS.name())).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(Topics.REVIEWS.name()).partitions()).hasSize(Topics.REVIEWS.partitions());

            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                for (int i = 0; i < 20; i++) {
                    producer.send(new ProducerRecord<>(Topics.REVIEWS.name(), ("k" + i).getBytes(), new byte[] {(byte) i}))
                            .get(30, TimeUnit.SECONDS);
                }
            }
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                List<ConsumerRecord<byte[], byte[]>> read = TopicScan.readToEnd(consumer, Topics.REVIEWS.name(), WAIT);
                assertThat(read).hasSize(20);
                assertThat(TopicScan.readToEnd(consumer, Topics.MODELS.name(), WAIT)).isEmpty();
            }
        }
    }
}
