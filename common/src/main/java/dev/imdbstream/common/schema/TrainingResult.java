package dev.imdbstream.common.schema;

import java.util.List;

/**
 * Value of {@code training.results} (key: job id), schema v1: the outcome of one run.
 *
 * @param status    {@code SUCCEEDED}, {@code FAILED}, or {@code CANCELLED} (the experiment was cancelled before the
 *                  run finished)
 * @param error     the reason of a failure or cancellation, null otherwise
 * @param bestEpoch the epoch (1-based) whose weights were restored and evaluated
 * @param test      metrics of the best weights on the test set, null when failed
 * @param modelId   id of the artifact published to {@code models}, null when failed
 * @param history   every epoch of the run
 */
public record TrainingResult(int schemaVersion, String jobId, String experimentId, String variant, int subsetSize,
        long seed, Status status, String error, int epochsRun, int bestEpoch, double bestValLoss,
        TestMetrics test, String modelId, List<EpochMetrics> history, double trainSeconds, long finishedAtMs) {

    public static final int VERSION = 1;

    public enum Status {
        SUCCEEDED, FAILED, CANCELLED
    }

    /**
     * @param confusion {@code [[tn, fp], [fn, tp]]} (rows: true label 0/1, columns: predicted 0/1)
     * @param perClass  precision/recall/F1 of label 0 (negative) then label 1 (positive)
     * @param prCurve   precision-recall curve of the positive class, down-sampled to at most a few hundred points
     */
    public record TestMetrics(int n, double loss, double accuracy, double rocAuc, long[][] confusion,
            List<ClassMetrics> perClass, PrCurve prCurve) {
    }

    public record ClassMetrics(String label, double precision, double recall, double f1, long support) {
    }

    public record PrCurve(double[] thresholds, double[] precision, double[] recall, double averagePrecision) {
    }
}
