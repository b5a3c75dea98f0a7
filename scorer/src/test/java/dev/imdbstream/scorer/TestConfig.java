package dev.imdbstream.scorer;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.imdbstream.scorer.config.ScorerConfig;

/** {@link ScorerConfig} values for tests that build the production topology outside Quarkus. */
public record TestConfig(Selection selection, Optional<List<String>> modelIds, NoModelPolicy noModel, int maxPending,
        int maxReviewBytes, int batchSize, Duration batchMaxWait, boolean inferenceThread, Duration warmUp,
        boolean exitOnStreamFailure, boolean createTopics)
        implements ScorerConfig {

    /** The production defaults, with micro-batches of 4 and no warm-up. */
    public static TestConfig defaults() {
        return new TestConfig(Selection.BEST_PER_VARIANT, Optional.empty(), NoModelPolicy.WAIT, 2_000, 262_144, 4,
                Duration.ofMillis(20), true, Duration.ZERO, false, false);
    }

    public TestConfig withSelection(Selection selection, String... ids) {
        return new TestConfig(selection, ids.length == 0 ? Optional.empty() : Optional.of(List.of(ids)), noModel,
                maxPending, maxReviewBytes, batchSize, batchMaxWait, inferenceThread, warmUp,
                exitOnStreamFailure, createTopics);
    }

    public TestConfig withNoModel(NoModelPolicy policy, int maxPending) {
        return new TestConfig(selection, modelIds, policy, maxPending, maxReviewBytes, batchSize, batchMaxWait,
                inferenceThread, warmUp, exitOnStreamFailure, createTopics);
    }

    public TestConfig withBatchSize(int batchSize) {
        return new TestConfig(selection, modelIds, noModel, maxPending, maxReviewBytes, batchSize, batchMaxWait,
                inferenceThread, warmUp, exitOnStreamFailure, createTopics);
    }

    public TestConfig withInferenceThread(boolean inferenceThread) {
        return new TestConfig(selection, modelIds, noModel, maxPending, maxReviewBytes, batchSize, batchMaxWait,
                inferenceThread, warmUp, exitOnStreamFailure, createTopics);
    }

    public TestConfig withWarmUp(Duration warmUp) {
        return new TestConfig(selection, modelIds, noModel, maxPending, maxReviewBytes, batchSize, batchMaxWait,
                inferenceThread, warmUp, exitOnStreamFailure, createTopics);
    }

    public TestConfig withMaxReviewBytes(int maxReviewBytes) {
        return new TestConfig(selection, modelIds, noModel, maxPending, maxReviewBytes, batchSize, batchMaxWait,
                inferenceThread, warmUp, exitOnStreamFailure, createTopics);
    }

    @Override
    public int maxConcurrentScores() {
        return 16;
    }

    @Override
    public int maxModelBytes() {
        return 12_582_912;
    }
}
