package dev.imdbstream.common.schema;

import java.util.List;
import java.util.Map;

/**
 * Value of the compacted {@code models} topic (key: {@link #modelId()}), schema v1: everything the scorer
 * needs to serve a model, and where it came from.
 *
 * @param format        what kind of model this is and how {@link #weights()} is encoded: {@code dl4j-multilayer-v1}
 *                      (the network: DL4J's ModelSerializer zip without updater state) or {@code tfidf-logreg-v1}
 *                      (the classical baseline: TF-IDF terms, idf and logistic-regression coefficients, the encoding
 *                      documented in {@code dev.imdbstream.model.tfidf.TfidfLogisticModel}) or {@code sentence-logreg-v1}
 *                      (a sentence encoder's name and logistic-regression coefficients on its vectors:
 *                      {@code dev.imdbstream.model.sentence.SentenceLogisticModel}); a consumer dispatches on it
 * @param preprocessing the tokenizer and padding rules the model was trained with
 * @param words         the vocabulary, as in {@link VocabularyRecord#words()}
 * @param metrics       at least {@code valLoss}, {@code valAccuracy}, {@code testAccuracy}
 * @param provenance    experiment, job, seed, subset, dataset, epochs, code revision, trained-at
 */
public record ModelArtifact(int schemaVersion, String modelId, String variant, int subsetSize, long seed,
        String experimentId, String jobId, String datasetId, String format, Preprocessing preprocessing,
        List<String> words, Hyperparameters hyperparameters, Map<String, Double> metrics,
        Map<String, String> provenance, byte[] weights, long createdAtMs) {

    public static final int VERSION = 1;

    /**
     * Checks that a reader of {@code expectedFormat} can use this artifact: schema {@value #VERSION} and that format.
     *
     * @throws IllegalArgumentException naming the model and what does not match
     */
    public void requireReadable(String expectedFormat) {
        if (schemaVersion != VERSION) {
            throw new IllegalArgumentException("model " + modelId + ": artifact schema v" + schemaVersion
                    + " is not supported (expected v" + VERSION + ")");
        }
        if (!expectedFormat.equals(format)) {
            throw new IllegalArgumentException("model " + modelId + ": weight format '" + format
                    + "' is not supported (expected " + expectedFormat + ")");
        }
    }
}
