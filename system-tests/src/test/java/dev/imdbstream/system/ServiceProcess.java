package dev.imdbstream.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service of the project run as its users run it: {@code java -jar <module>/target/quarkus-app/quarkus-run.jar}
 * with its settings in the environment, output to a log file. Closing stops it (SIGTERM, then SIGKILL after 20 s).
 */
final class ServiceProcess implements AutoCloseable {

    /** The repository root: the services' builds are under it. */
    static final Path ROOT = Path.of(System.getProperty("imdb.root", "..")).toAbsolutePath().normalize();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String name;
    private final Process process;
    private final Path log;

    private ServiceProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code module}'s packaged application.
     *
     * @param jvm  JVM options ({@code -D} settings among them)
     * @param env  added to this JVM's environment
     */
    static ServiceProcess start(String module, List<String> jvm, List<String> args, Map<String, String> env, Path logDir) {
        Path jar = ROOT.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the services first (./mvnw -B verify builds them"
                    + " before this module, or ./mvnw -B package -DskipTests)");
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(List.of("-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true",
                "--add-modules", "jdk.incubator.vector"));
        command.addAll(jvm);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(args);
        Path log = logDir.resolve(module + "-" + System.nanoTime() + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).directory(logDir.toFile());
        // Nothing of the test's own environment that could change the service's Kafka settings.
        builder.environment().keySet().removeIf(k -> k.startsWith("KAFKA_") || k.startsWith("TRAINER_")
                || k.startsWith("SCORER_") || k.startsWith("INGEST_") || k.startsWith("QUARKUS_"));
        builder.environment().put("OMP_NUM_THREADS", "1");
        builder.environment().putAll(env);
        try {
            return new ServiceProcess(module, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + module, e);
        }
    }

    /** Waits for the process to end; its exit status. */
    int exitCode(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still running after " + timeout + "; its log:\n" + tail());
        }
        return process.exitValue();
    }

    /** Waits until {@code url} answers 200, failing early when the process ends. */
    void awaitHttp(String url, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + "; its log:\n" + tail());
            }
            try {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                        .GET().build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError(url + " did not answer 200 within " + timeout + "; " + name + "'s log:\n" + tail());
    }

    /** The whole log so far. */
    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last 60 lines of the log, for failure messages. */
    String tail() {
        List<String> lines = output().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
