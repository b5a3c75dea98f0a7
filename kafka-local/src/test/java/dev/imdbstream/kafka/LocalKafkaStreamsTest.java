package dev.imdbstream.kafka;

import static dev.imdbstream.kafka.LocalKafkaTest.createTopic;
import static dev.imdbstream.kafka.LocalKafkaTest.producer;
import static dev.imdbstream.kafka.LocalKafkaTest.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kafka Streams with exactly_once_v2 (the scorer's guarantee) needs transactions with one replica. */
class LocalKafkaStreamsTest {

    @TempDir
    Path dir;

    @Test
    void shouldRunAnExactlyOnceStreamsApplication() throws Exception {
        try (LocalKafka kafka = LocalKafka.start(dir.resolve("kafka"))) {
            createTopic(kafka, "words", 2);
            createTopic(kafka, "upper", 2);
            try (KafkaProducer<String, String> producer = producer(kafka, Map.of())) {
                for (String word : List.of("alpha", "beta", "gamma")) {
                    producer.send(new ProducerRecord<>("words", word, word)).get(30, TimeUnit.SECONDS);
                }
            }

            StreamsBuilder builder = new StreamsBuilder();
            builder.stream("words", Consumed.with(Serdes.String(), Serdes.String()))
                    .mapValues(v -> v.toUpperCase())
                    .to("upper", Produced.with(Serdes.String(), Serdes.String()));
            Properties config = new Properties();
            config.put(StreamsConfig.APPLICATION_ID_CONFIG, "local-kafka-eos-test");
            config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
            config.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("streams").toString());
            config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
            config.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");

            try (KafkaStreams streams = new KafkaStreams(builder.build(), config)) {
                streams.start();
                List<ConsumerRecord<String, String>> read = readAll(kafka, "upper", 3, "read_committed");

                assertThat(read).extracting(ConsumerRecord::value).containsExactlyInAnyOrder("ALPHA", "BETA", "GAMMA");
                streams.close(Duration.ofSeconds(30));
            }
        }
    }
}
