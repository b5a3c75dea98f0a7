package dev.imdbstream.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real broker for a {@code @QuarkusTest}: started in a fresh temporary folder before the application, stopped after
 * it. The application gets the properties named in the resource's {@code initArgs}, whose values may use
 * {@value #BOOTSTRAP} (the broker's address) and {@value #DIR} (the temporary folder), e.g.
 * {@code @ResourceArg(name = "kafka.bootstrap.servers", value = "{bootstrap}")}.
 */
public class LocalKafkaResource implements QuarkusTestResourceLifecycleManager {

    public static final String BOOTSTRAP = "{bootstrap}";
    public static final String DIR = "{dir}";

    private static volatile LocalKafka kafka;
    private static volatile Path dir;

    private Map<String, String> properties = Map.of();

    @Override
    public void init(Map<String, String> initArgs) {
        properties = Map.copyOf(initArgs);
    }

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("local-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        kafka = LocalKafka.start(dir.resolve("kafka"));
        Map<String, String> config = new LinkedHashMap<>();
        properties.forEach((name, value) -> config.put(name,
                value.replace(BOOTSTRAP, kafka.bootstrapServers()).replace(DIR, dir.toString())));
        return config;
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    /** The running broker's address, for the test's own clients. */
    public static String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** The temporary folder of this run (the broker's data is in {@code kafka/}). */
    public static Path dir() {
        return dir;
    }
}
