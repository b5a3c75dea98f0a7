package dev.imdbstream.common.schema;

/**
 * Value of {@code training.jobs} (key: {@link #jobId()}), schema v1: one run of the study's grid.
 *
 * @param jobId        unique and deterministic for (experiment, variant, size, seed), so a redelivered or
 *                     re-published job is recognised as the same run
 * @param variant      embedding variant: {@code random}, {@code glove}, {@code glove-frozen}, ...
 * @param subsetSize   labelled training reviews
 * @param seed         draws the subset, the initialisation and the batch order
 */
public record TrainingJob(int schemaVersion, String jobId, String experimentId, String datasetId, String variant,
        int subsetSize, long seed, Hyperparameters hyperparameters, long createdAtMs) {

    public static final int VERSION = 1;

    public static String jobId(String experimentId, String variant, int subsetSize, long seed) {
        return experimentId + "." + variant + ".n" + subsetSize + ".s" + seed;
    }
}
