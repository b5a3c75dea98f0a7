package dev.imdbstream.scorer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.imdbstream.kafka.LocalKafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real Kafka broker (KRaft, in this JVM) for {@code @QuarkusTest}s, with a fresh data directory and a fresh Kafka
 * Streams state directory per test run, handed to the application as its bootstrap servers.
 */
public class LocalKafkaResource implements QuarkusTestResourceLifecycleManager {

    private static volatile LocalKafka kafka;
    private Path dir;

    /** The running broker's address, for the test's own clients. */
    public static String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("scorer-it-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        kafka = LocalKafka.start(dir.resolve("kafka"));
        return Map.of("quarkus.kafka-streams.bootstrap-servers", kafka.bootstrapServers(),
                "kafka-streams.state.dir", dir.resolve("streams").toString());
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }
}
