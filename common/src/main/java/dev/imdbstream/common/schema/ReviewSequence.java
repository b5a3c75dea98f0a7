package dev.imdbstream.common.schema;

/**
 * Value of {@code imdb.train}, {@code imdb.test} and {@code imdb.unsup} (key: {@link #key(String, String)},
 * {@code <datasetId>/<id>}), schema v1. The dataset id is part of the key so that two ingestions with other
 * preprocessing do not replace each other's reviews in the compacted topics.
 *
 * @param id        stable review id, {@code <split>/<pos|neg|unsup>/<file id>} (e.g. {@code train/pos/123})
 * @param datasetId the ingested data set this review belongs to (see {@link VocabularyRecord})
 * @param split     {@code train}, {@code test} or {@code unsup}
 * @param index     position in the split after the ingestor's fixed-seed shuffle, 0-based; the trainer
 *                  selects subsets and validation reviews by this field, never by partition or offset
 * @param label     1 positive, 0 negative, -1 unlabelled
 * @param rating    the star rating from the file name (1-10; 0 for unlabelled)
 * @param tokens    padded/truncated ids, length {@code maxLen} of the data set's preprocessing: what the networks read
 * @param allTokens every id of the review, unpadded and untruncated (the start id, then one id per token:
 *                  {@code Vocabulary.encode}), for models that read the whole review; null in records of data sets
 *                  ingested before the field existed
 * @param text      the raw review text, or null when the ingestor was asked not to include it
 */
public record ReviewSequence(int schemaVersion, String id, String datasetId, String split, int index, int label,
        int rating, int[] tokens, int[] allTokens, String text) {

    public static final int VERSION = 1;

    /** The record key: {@code <datasetId>/<id>}, e.g. {@code imdb-3f2a.../train/pos/123}. */
    public static String key(String datasetId, String id) {
        return datasetId + "/" + id;
    }

    public String key() {
        return key(datasetId, id);
    }

    /** This record without its raw text (itself when it has none). */
    public ReviewSequence withoutText() {
        return text == null ? this
                : new ReviewSequence(schemaVersion, id, datasetId, split, index, label, rating, tokens, allTokens, null);
    }
}
