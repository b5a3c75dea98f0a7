package dev.imdbstream.common.schema;

/**
 * Value of {@code training.metrics} (key: job id), schema v1: one finished epoch of a run. Losses are the
 * true binary cross-entropy (no regularization term).
 *
 * @param improved true when this epoch's validation loss is the best so far (the checkpoint was kept)
 */
public record EpochMetrics(int schemaVersion, String jobId, String experimentId, String variant, int subsetSize,
        long seed, int epoch, int maxEpochs, double trainLoss, double trainAccuracy, double valLoss,
        double valAccuracy, double seconds, boolean improved, long timestampMs) {

    public static final int VERSION = 1;
}
