package dev.imdbstream.trainer.api;

import java.util.List;

import dev.imdbstream.common.schema.EpochMetrics;
import dev.imdbstream.common.schema.Hyperparameters;
import dev.imdbstream.trainer.report.ResultsTable;

/** The JSON answers of the experiments API. */
public final class ExperimentViews {

    private ExperimentViews() {
    }

    public enum RunState {
        QUEUED, RUNNING, SUCCEEDED, FAILED
    }

    /** Answer of {@code POST /experiments}. */
    public record Created(String experimentId, String datasetId, Hyperparameters hyperparameters, List<String> jobIds) {
    }

    /** One line of {@code GET /experiments}. */
    public record Summary(String experimentId, String datasetId, long createdAtMs, int runs, int queued, int running,
            int succeeded, int failed, boolean finished) {
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
