package dev.imdbstream.benchmarks.scorer;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.imdbstream.scorer.config.ScorerConfig;

/** The in-process scorer's settings: its defaults, with the benchmark's micro-batch and inference thread. */
record BenchConfig(int batchSize, boolean inferenceThread) implements ScorerConfig {

    @Override
    public Selection selection() {
        return Selection.BEST_PER_VARIANT;
    }

    @Override
    public Optional<List<String>> modelIds() {
        return Optional.empty();
    }

    @Override
    public NoModelPolicy noModel() {
        return NoModelPolicy.WAIT;
    }

    @Override
    public int maxPending() {
        return 2_000;
    }

    @Override
    public int maxReviewBytes() {
        return 262_144;
    }

    @Override
    public int maxConcurrentScores() {
        return 16;
    }

    @Override
    public int maxModelBytes() {
        return 12_582_912;
    }

    @Override
    public Duration batchMaxWait() {
        return Duration.ofMillis(20);
    }

    /** The benchmark warms the model up itself. */
    @Override
    public Duration warmUp() {
        return Duration.ZERO;
    }

    @Override
    public boolean exitOnStreamFailure() {
        return false;
    }

    /** The benchmark creates the topics. */
    @Override
    public boolean createTopics() {
        return false;
    }
}
