package dev.imdbstream.common.schema;

import java.util.List;

/**
 * Value of {@code predictions} (key: the input record's key), schema v1: one per input record.
 *
 * @param label      the true label when the input carried one
 * @param latencyMs  from the input record's timestamp to the prediction being produced
 */
public record Prediction(int schemaVersion, String id, List<ModelScore> scores, Integer label, double latencyMs,
        long scoredAtMs) {

    public static final int VERSION = 1;

    /** @param label 1 when {@code probability >= 0.5} */
    public record ModelScore(String modelId, String variant, int subsetSize, double probability, int label) {
    }
}
