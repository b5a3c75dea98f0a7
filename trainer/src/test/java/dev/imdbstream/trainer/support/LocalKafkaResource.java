package dev.imdbstream.trainer.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.imdbstream.kafka.LocalKafka;

/**
 * A real KRaft broker for the trainer's Quarkus tests, started before the application, with the
 * application's checkpoint and report folders in a fresh temporary folder.
 */
public class LocalKafkaResource implements QuarkusTestResourceLifecycleManager {

    private static volatile LocalKafka kafka;
    private static volatile Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("trainer-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        kafka = LocalKafka.start(dir.resolve("kafka"));
        return Map.of(
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                "trainer.runs.checkpoint-dir", dir.resolve("checkpoints").toString(),
                "trainer.report.dir", dir.resolve("reports").toString());
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    public static String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public static Path dir() {
        return dir;
    }
}
