package dev.imdbstream.common.schema;

/**
 * Value of {@code training.jobs} (key: {@link #jobId()}), schema v1: one run of the study's grid.
 *
 * @param jobId        unique and deterministic for (experiment, variant, size, seed), so a redelivered or
 *                     re-published job is recognised as the same run
 * @param variant      {@code random}, {@code glove}, {@code glove-frozen} (networks), {@code tfidf-logreg} (the classical baseline) or
 *                     {@code minilm-logreg} (logistic regression on a frozen sentence encoder's review vectors)
 * @param subsetSize   labelled training reviews
 * @param seed         draws the subset, the initialisation and the batch order
 */
public record TrainingJob(int schemaVersion, String jobId, String experimentId, String datasetId, String variant,
        int subsetSize, long seed, Hyperparameters hyperparameters, long createdAtMs) {

    public static final int VERSION = 1;

    public static String jobId(String experimentId, String variant, int subsetSize, long seed) {
        return experimentId + "." + variant + ".n" + subsetSize + ".s" + seed;
    }

    /**
     * Returns this job when its ids are safe to use as file names and metric labels ({@link Ids}) and its job id is
     * the one its parts give; a record read from {@code training.jobs} is untrusted until then.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public TrainingJob validated() {
        Ids.require("experiment id", experimentId, Ids.EXPERIMENT);
        Ids.require("variant", variant, Ids.VARIANT);
        Ids.require("data set id", datasetId, Ids.NAME);
        if (subsetSize < 1 || hyperparameters == null) {
            throw new IllegalArgumentException("job " + Ids.shown(jobId) + " has no subset or hyperparameters");
        }
        String expected = jobId(experimentId, variant, subsetSize, seed);
        if (!expected.equals(jobId)) {
            throw new IllegalArgumentException("job id " + Ids.shown(jobId) + " is not " + expected
                    + " (experiment.variant.n<size>.s<seed>)");
        }
        return this;
    }
}
