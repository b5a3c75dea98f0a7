package dev.imdbstream.trainer.run;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.imdbstream.common.schema.Hyperparameters;
import dev.imdbstream.common.schema.TrainingJob;
import dev.imdbstream.trainer.config.TrainerConfig;

/**
 * What one experiment may ask for ({@code trainer.experiments.limits}): checked on {@code POST /experiments} (400),
 * and again on every job read from {@code training.jobs}, which may have been written by other means.
 */
@ApplicationScoped
public class ExperimentLimits {

    private final TrainerConfig.Limits limits;

    public ExperimentLimits(TrainerConfig config) {
        this.limits = config.experiments().limits();
    }

    /** Why an experiment of {@code runs} runs is too large, if it is. */
    public Optional<String> problem(int runs) {
        return runs > limits.maxRuns()
                ? Optional.of(runs + " runs, more than the " + limits.maxRuns() + " one experiment may have"
                        + " (trainer.experiments.limits.max-runs)")
                : Optional.empty();
    }

    /** Why a run of {@code subsetSize} reviews with {@code h} is beyond the limits, if it is. */
    public Optional<String> problem(int subsetSize, Hyperparameters h) {
        if (subsetSize > limits.maxSubsetSize()) {
            return beyond("subset size", subsetSize, limits.maxSubsetSize(), "max-subset-size");
        }
        if (h.maxEpochs() > limits.maxEpochs()) {
            return beyond("maxEpochs", h.maxEpochs(), limits.maxEpochs(), "max-epochs");
        }
        if (h.batchSize() > limits.maxBatchSize()) {
            return beyond("batchSize", h.batchSize(), limits.maxBatchSize(), "max-batch-size");
        }
        if (h.validationSize() > limits.maxEvaluationSize()) {
            return beyond("validationSize", h.validationSize(), limits.maxEvaluationSize(), "max-evaluation-size");
        }
        if (h.testSize() > limits.maxEvaluationSize()) {
            return beyond("testSize", h.testSize(), limits.maxEvaluationSize(), "max-evaluation-size");
        }
        return Optional.empty();
    }

    public Optional<String> problem(TrainingJob job) {
        return problem(job.subsetSize(), job.hyperparameters());
    }

    private static Optional<String> beyond(String what, int value, int limit, String setting) {
        return Optional.of(what + " " + value + " is above the limit " + limit + " (trainer.experiments.limits." + setting + ")");
    }
}
