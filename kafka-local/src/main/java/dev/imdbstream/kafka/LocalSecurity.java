package dev.imdbstream.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;

import dev.imdbstream.common.kafka.KafkaAccess;
import dev.imdbstream.common.kafka.KafkaSecurity;
import dev.imdbstream.common.kafka.TopicCreation;
import dev.imdbstream.common.kafka.Topics;

/**
 * Sets a secured {@link LocalKafka} up as a secured deployment is: every topic of {@link Topics} created by the
 * administrator, every user of {@link KafkaAccess} with a SCRAM-SHA-512 password and its ACLs. Passwords are made
 * once and kept in {@code <dir>/users/<user>.password}; {@code <dir>/<user>.env} holds the settings of each user
 * ({@code KAFKA_SECURITY_PROTOCOL=SASL_SSL}, ...) for a service's environment.
 */
public final class LocalSecurity {

    private final Map<String, Map<String, String>> settings;

    private LocalSecurity(Map<String, Map<String, String>> settings) {
        this.settings = settings;
    }

    /** The users of {@link KafkaAccess} and the administrator: the certificates a secured node needs. */
    public static List<String> certificateNames() {
        List<String> names = new ArrayList<>(KafkaAccess.USERS.keySet());
        names.add(LocalKafka.ADMIN);
        return names;
    }

    /** Creates the topics, users and ACLs (existing ones are kept) and writes the users' settings under {@code dir}. */
    public static LocalSecurity setUp(LocalKafka kafka, Path dir) {
        try {
            Files.createDirectories(dir.resolve("users"));
            createTopics(kafka);
            Map<String, Map<String, String>> settings = new LinkedHashMap<>();
            for (String user : KafkaAccess.USERS.keySet()) {
                String password = password(dir.resolve("users").resolve(user + ".password"));
                kafka.addScramUser(user, password);
                kafka.createAcls(KafkaAccess.aclBindings(user));
                Map<String, String> s = kafka.scramSettings(user, password);
                settings.put(user, s);
                writeEnv(dir.resolve(user + ".env"), s);
            }
            return new LocalSecurity(settings);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the users' settings in " + dir, e);
        }
    }

    /** The {@link KafkaSecurity} settings of {@code user} (SCRAM over TLS). */
    public Map<String, String> settings(String user) {
        Map<String, String> s = settings.get(user);
        if (s == null) {
            throw new IllegalArgumentException("no Kafka user " + user);
        }
        return s;
    }

    /** The same settings as environment variables ({@code KAFKA_SASL_USERNAME=...}). */
    public Map<String, String> environment(String user) {
        Map<String, String> env = new LinkedHashMap<>();
        settings(user).forEach((k, v) -> env.put(KafkaSecurity.envName(k), v));
        return env;
    }

    private static void createTopics(LocalKafka kafka) {
        try (Admin admin = kafka.admin()) {
            TopicCreation.createMissing(admin, Topics.ALL, Optional.empty(), Duration.ofSeconds(30));
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create topics: " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot create topics within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String password(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            write(file, Base64.getUrlEncoder().withoutPadding().encodeToString(random));
        }
        return Files.readString(file).strip();
    }

    private static void writeEnv(Path file, Map<String, String> settings) throws IOException {
        StringBuilder b = new StringBuilder();
        settings.forEach((k, v) -> b.append(KafkaSecurity.envName(k)).append('=').append(v).append('\n'));
        write(file, b.toString());
    }

    /** Readable by the owner alone: these files hold passwords. */
    private static void write(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(Set.of(
                    java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                    java.nio.file.attribute.PosixFilePermission.OWNER_WRITE)));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, content);
    }
}
