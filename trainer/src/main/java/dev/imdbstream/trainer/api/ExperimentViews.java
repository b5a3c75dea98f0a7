package dev.imdbstream.trainer.api;

import java.util.List;

import dev.imdbstream.common.schema.EpochMetrics;
import dev.imdbstream.common.schema.Hyperparameters;
import dev.imdbstream.common.study.ResultsTable;

/** The JSON answers of the experiments API. */
public final class ExperimentViews {

    private ExperimentViews() {
    }

    public enum RunState {
        QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED
    }

    /** Answer of {@code POST /experiments}. */
    public record Created(String experimentId, String datasetId, Hyperparameters hyperparameters, List<String> jobIds) {
    }

    /**
     * One line of {@code GET /experiments}.
     *
     * @param finished  every run succeeded, failed or was cancelled
     * @param cancelled runs of a cancelled experiment (stopped, or never started)
     */
    public record Summary(String experimentId, String datasetId, long createdAtMs, int runs, int queued, int running,
            int succeeded, int failed, int cancelled, boolean finished, boolean experimentCancelled) {
    }

    /**
     * Answer of {@code DELETE /experiments/{id}}.
     *
     * @param stopping the runs that had no result yet: they stop at their next mini-batch or never start
     */
    public record Cancelled(String experimentId, String requestedBy, long requestedAtMs, List<String> stopping) {
    }

    /**
     * One run of {@code GET /experiments/{id}}.
     *
     * @param latest the latest epoch's metrics, null before the first epoch
     */
    public record Run(String jobId, String variant, int subsetSize, long seed, RunState state, int epoch,
            int maxEpochs, EpochMetrics latest, Integer bestEpoch, Double testAccuracy, Double testRocAuc,
            String modelId, String error, Double trainSeconds) {
    }

    /** Answer of {@code GET /experiments/{id}}. */
    public record Detail(Summary summary, Hyperparameters hyperparameters, List<Run> runs, List<ResultsTable.Cell> table,
            String report) {
    }
}
