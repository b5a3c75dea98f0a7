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

    /**
     * Reviews published for a split ({@code train}, {@code test}, {@code unsup}), from {@link #stats()}: a consumer
     * knows it has the whole data set when it has read this many reviews of this {@link #datasetId()}.
     */
    public int expectedReviews(String split) {
        Double n = stats == null ? null : stats.get(Stats.reviews(split));
        return n == null ? 0 : n.intValue();
    }

    /** Keys of {@link #stats()}. */
    public static final class Stats {
        /** Words in the vocabulary (ids from indexFrom). */
        public static final String VOCABULARY_WORDS = "vocabulary.words";
        /** Distinct words of the training split, before the numWords cut. */
        public static final String TRAIN_DISTINCT_WORDS = "train.distinctWords";
        /** The seed of the shuffle that gave the reviews their {@code index}. */
        public static final String SHUFFLE_SEED = "shuffleSeed";

        private Stats() {
        }

        /** Reviews of a split: {@code reviews.train}. */
        public static String reviews(String split) {
            return "reviews." + split;
        }

        /** Reviews of a split with a label folder ({@code pos}, {@code neg}): {@code reviews.train.pos}. */
        public static String reviews(String split, String labelFolder) {
            return "reviews." + split + "." + labelFolder;
        }

        /** Word tokens (before padding/truncation, without the start id) of a split. */
        public static String tokens(String split) {
            return "tokens." + split;
        }

        /** Share of a split's word tokens that are out of vocabulary. */
        public static String oovShare(String split) {
            return "oovShare." + split;
        }

        /** Share of a split's reviews longer than maxLen (start id included), so truncated. */
        public static String truncatedShare(String split) {
            return "truncatedShare." + split;
        }
    }

    /** @param covered rows (of the ids from indexFrom) that got a pretrained vector */
    public record EmbeddingCoverage(String name, int covered, int total, String source) {
        public double share() {
            return total == 0 ? 0 : (double) covered / total;
        }
    }
}
