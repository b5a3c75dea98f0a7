package dev.imdbstream.common.schema;

import java.util.List;
import java.util.Map;

/**
 * Value of the compacted {@code imdb.vocab} topic (key: {@link #datasetId()}), schema v1.
 *
 * @param datasetId     identifies one ingestion result (source digest + preprocessing); every review,
 *                      embedding and model names it
 * @param preprocessing tokenizer, id layout and padding rules
 * @param words         words by id: {@code words.get(i)} has id {@code preprocessing.indexFrom() + i};
 *                      ranked by falling training-split frequency (ties by word), at most
 *                      {@code numWords - indexFrom} entries
 * @param source        where the reviews came from (archive path or folder, or npz) and its sha256 if known
 * @param stats         summary numbers of the ingestion (reviews per split/label, OOV share, truncated share)
 * @param embeddings    coverage of each embedding matrix published for this data set
 */
public record VocabularyRecord(int schemaVersion, String datasetId, Preprocessing preprocessing, List<String> words,
        String source, Map<String, Double> stats, List<EmbeddingCoverage> embeddings, long createdAtMs) {

    public static final int VERSION = 1;

    /** @param covered rows (of the ids from indexFrom) that got a pretrained vector */
    public record EmbeddingCoverage(String name, int covered, int total, String source) {
        public double share() {
            return total == 0 ? 0 : (double) covered / total;
        }
    }
}
