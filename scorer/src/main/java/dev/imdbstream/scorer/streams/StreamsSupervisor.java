package dev.imdbstream.scorer.streams;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.imdbstream.common.kafka.KafkaFaults;
import dev.imdbstream.scorer.config.ScorerConfig;
import dev.imdbstream.scorer.metrics.ScorerMetrics;
import io.quarkus.runtime.Quarkus;

/**
 * What the scorer does when Kafka Streams cannot go on, so that a broken scorer never looks alive: a stream thread
 * killed by a transient fault of the broker (Kafka Streams gave up retrying it within {@code task.timeout.ms}) is
 * replaced (its tasks restart from their stores and committed offsets: nothing is lost), up to
 * {@value #MAX_REPLACEMENTS} times in {@link #WINDOW} and unless the replacement dies again within
 * {@link #QUICK_REPEAT}. Any other error (corrupt state, a bug, out of memory), and an error of the global thread
 * (which cannot be replaced), shuts the client down at once: a replacement would only fail again, after waiting for
 * the group's session timeout to rebalance. Once the client is in {@code ERROR}, the liveness check is DOWN and the process exits with status 1
 * ({@code scorer.exit-on-stream-failure}), for compose's restart policy or Kubernetes to start it again. Quarkus
 * registers both roles with the client it builds.
 */
@Singleton
public class StreamsSupervisor implements StreamsUncaughtExceptionHandler, KafkaStreams.StateListener {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsSupervisor.class);
    static final int MAX_REPLACEMENTS = 3;
    static final Duration WINDOW = Duration.ofMinutes(10);
    /** A replacement that dies again this soon did not help: the error is not one a new thread gets past. */
    static final Duration QUICK_REPEAT = Duration.ofSeconds(30);

    private final ScorerConfig config;
    private final ScorerMetrics metrics;
    private final Deque<Long> replacements = new ArrayDeque<>();
    private volatile boolean failed;

    @Inject
    public StreamsSupervisor(ScorerConfig config, ScorerMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
        long now = System.nanoTime();
        while (!replacements.isEmpty() && now - replacements.peekFirst() > WINDOW.toNanos()) {
            replacements.pollFirst();
        }
        if (!KafkaFaults.isTransient(exception)) {
            LOG.error("a Kafka Streams thread died of an error a new thread would meet again: shutting the client down",
                    exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        boolean again = !replacements.isEmpty() && now - replacements.peekLast() < QUICK_REPEAT.toNanos();
        if (again || replacements.size() >= MAX_REPLACEMENTS) {
            LOG.error("a Kafka Streams thread died of a broker fault ({} replaced in the last {} min, the last {} s ago):"
                    + " shutting the client down", replacements.size(), WINDOW.toMinutes(),
                    replacements.isEmpty() ? "-" : (now - replacements.peekLast()) / 1_000_000_000L, exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        replacements.addLast(now);
        metrics.streamThreadReplaced();
        LOG.error("a Kafka Streams thread died of a broker fault: replacing it (its tasks resume from their stores)",
                exception);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    @Override
    public void onChange(KafkaStreams.State newState, KafkaStreams.State oldState) {
        // PENDING_ERROR/ERROR: the client shut itself down (SHUTDOWN_CLIENT, or the global thread died); a shutdown
        // that Quarkus asks for goes through PENDING_SHUTDOWN instead.
        if (newState != KafkaStreams.State.PENDING_ERROR && newState != KafkaStreams.State.ERROR || failed) {
            return;
        }
        failed = true;
        if (config.exitOnStreamFailure()) {
            LOG.error("Kafka Streams stopped (state {}): the scorer cannot score and exits with status 1", newState);
            Quarkus.asyncExit(1);
        } else {
            LOG.error("Kafka Streams stopped (state {}); scorer.exit-on-stream-failure is off: staying up, DOWN",
                    newState);
        }
    }

    /** Whether Kafka Streams stopped by itself (the process exits unless configured otherwise). */
    public boolean failed() {
        return failed;
    }
}
