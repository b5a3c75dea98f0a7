package dev.imdbstream.scorer.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The scorer's own settings ({@code scorer.*}; environment {@code SCORER_*}). Kafka client and Kafka Streams
 * settings live under {@code kafka-streams.*} and {@code quarkus.kafka-streams.*} in application.properties.
 */
@ConfigMapping(prefix = "scorer")
public interface ScorerConfig {

    /** Which of the models on the {@code models} topic score each review. */
    @WithDefault("best-per-variant")
    Selection selection();

    /** The model ids that score each review when {@code selection} is {@code listed}. */
    Optional<List<String>> modelIds();

    /** What happens to reviews that arrive while no selected model is loaded. */
    @WithDefault("wait")
    NoModelPolicy noModel();

    /**
     * Most reviews a stream task holds in its pending store (waiting for a micro-batch or a model). At the limit it
     * scores before it reads on, or, waiting for a model, the scorer stops reading: a backlog stays on the topic.
     */
    @WithDefault("2000")
    int maxPending();

    /**
     * Largest accepted review record value in bytes (IMDB's longest review is about 14 kB); also the largest body of
     * {@code POST /score}, refused with 413 before it is read ({@code quarkus.http.limits.max-body-size}).
     */
    @WithDefault("262144")
    int maxReviewBytes();

    /** Requests {@code POST /score} handles at once; beyond, it answers 429 at once instead of queueing them. */
    @WithDefault("16")
    int maxConcurrentScores();

    /**
     * Largest weights of a model artifact the scorer loads (the notebook's model has 5.3 MB; 12 MiB); larger artifacts on
     * the {@code models} topic are rejected before they are decoded.
     */
    @WithDefault("12582912")
    int maxModelBytes();

    /**
     * Most reviews scored together in one inference pass (micro-batch). A pass costs a fixed part plus a part per
     * review; under a backlog larger passes score more reviews per second, at a light load batches stay small.
     */
    @WithDefault("128")
    int batchSize();

    /** Longest a review waits for its micro-batch to fill before it is scored anyway. */
    @WithDefault("PT0.02S")
    Duration batchMaxWait();

    /**
     * Run the inference passes on a thread of their own per stream thread, so that reading, parsing, writing and
     * committing overlap with the model's work (two cores busy per stream thread); false: on the stream thread.
     */
    @WithDefault("true")
    boolean inferenceThread();

    /**
     * Longest the scorer exercises the inference kernels with synthetic reviews at every micro-batch size before the
     * first model it loads starts scoring; it stops sooner once the passes stop getting faster (once per process:
     * later models run the same code). A cold JVM scores its first reviews far slower and needs
     * seconds of passes of each size to compile them (see {@code ServingModel.warmUp}); reviews that arrive
     * meanwhile wait, as before any model. 0 turns it off.
     */
    @WithDefault("PT30S")
    Duration warmUp();

    /**
     * Exit with status 1 when Kafka Streams stops by itself (an error it could not recover from), so that an
     * orchestrator restarts the scorer; false keeps the process up with its liveness check DOWN (tests).
     */
    @WithDefault("true")
    boolean exitOnStreamFailure();

    /** Create missing topics (with the shared settings of {@code Topics}) at start. */
    @WithDefault("true")
    boolean createTopics();

    /** How the scoring models are chosen among the artifacts on the {@code models} topic. */
    enum Selection {
        /** Per embedding variant, the lowest validation loss among its models of the largest subset size. */
        BEST_PER_VARIANT,
        /** Per variant and subset size, the model with the lowest validation loss. */
        BEST_PER_CELL,
        /** Exactly the models named in {@code scorer.model-ids}, once they have arrived. */
        LISTED
    }

    /** The fate of a review that arrives before any model. */
    enum NoModelPolicy {
        /** Keep it (in a changelogged store) and score it once a model is loaded. */
        WAIT,
        /** Send it to {@code reviews.dlq} with reason {@code no_model}. */
        DLQ
    }
}
