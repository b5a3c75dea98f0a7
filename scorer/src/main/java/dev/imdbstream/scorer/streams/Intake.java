package dev.imdbstream.scorer.streams;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.imdbstream.scorer.metrics.ScorerMetrics;
import dev.imdbstream.scorer.model.ModelRegistry;
import dev.imdbstream.scorer.model.ModelSnapshot;

/**
 * Stops reading {@code reviews} while reviews wait for a model and a task's pending store is full
 * ({@code scorer.max-pending}), and reads on as soon as a model is loaded. Uses Kafka Streams' {@code pause()}: the
 * client keeps polling (into its bounded per-partition buffers), committing and heart-beating, and processes nothing,
 * so the backlog stays on the topic instead of in the heap. Thread-safe: stream threads pause, the registry's thread
 * resumes.
 */
@Singleton
public class Intake {

    private static final Logger LOG = LoggerFactory.getLogger(Intake.class);

    private final ModelRegistry registry;
    private final ScorerMetrics metrics;
    private KafkaStreams streams;
    private boolean paused;

    @Inject
    public Intake(ModelRegistry registry, ScorerMetrics metrics) {
        this.registry = registry;
        this.metrics = metrics;
        registry.onChange(this::modelsChanged);
    }

    /** Quarkus hands over the client before it starts it. */
    synchronized void onStreams(@Observes KafkaStreams streams) {
        this.streams = streams;
        if (paused) {
            streams.pause();
        }
    }

    /** Whether reading is stopped until a model is loaded. */
    public synchronized boolean paused() {
        return paused;
    }

    /** Called on a stream thread by a task whose pending store is full while reviews wait for a model. */
    synchronized void pauseUntilModel(String task, long pending) {
        if (!paused) {
            paused = true;
            metrics.intakePaused(true);
            LOG.info("task {} holds {} reviews waiting for a model (scorer.max-pending): not reading reviews until a"
                    + " model is loaded", task, pending);
            if (streams != null) {
                streams.pause();
            }
        }
        // A model may have been swapped in since the task looked: then its notification found nothing to resume.
        modelsChanged(registry.current());
    }

    private synchronized void modelsChanged(ModelSnapshot snapshot) {
        if (paused && !snapshot.isEmpty()) {
            paused = false;
            metrics.intakePaused(false);
            LOG.info("scoring with {}: reading reviews again", snapshot.modelIds());
            if (streams != null) {
                streams.resume();
            }
        }
    }
}
