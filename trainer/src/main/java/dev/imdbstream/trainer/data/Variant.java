package dev.imdbstream.trainer.data;

import java.util.List;
import java.util.Optional;

import dev.imdbstream.common.schema.ReviewEmbedding;
import dev.imdbstream.common.schema.VocabularyRecord;
import dev.imdbstream.common.schema.VocabularyRecord.EmbeddingCoverage;
import dev.imdbstream.model.EmbeddingVariant;

/**
 * A variant of the study: a network variant, {@code random} (random init), {@code glove} (the configured GloVe
 * matrix of the data set) or any embedding name the manifest lists, where the suffix {@code -frozen} freezes the
 * embedding layer; or the classical baseline {@value #TFIDF_LOGREG} (TF-IDF of word uni- and bigrams, logistic
 * regression), which trains no network and needs no embedding; or {@value #MINILM_LOGREG}, a logistic regression on the
 * review vectors of a frozen sentence encoder ({@link ReviewEmbedding#MINILM}, from {@code imdb.review-embeddings}); or
 * {@value #TFIDF_MINILM_LOGREG}, one logistic regression on both.
 *
 * @param embedding the name of the imdb.embeddings matrix that initialises the layer, empty for random and the baseline
 */
public record Variant(String name, Optional<String> embedding, boolean frozen) {

    public static final String RANDOM = "random";
    public static final String GLOVE = "glove";
    public static final String TFIDF_LOGREG = "tfidf-logreg";
    public static final String MINILM_LOGREG = "minilm-logreg";
    public static final String TFIDF_MINILM_LOGREG = "tfidf-minilm-logreg";
    private static final String FROZEN = "-frozen";

    /** Whether this is the classical baseline rather than a network. */
    public boolean classical() {
        return TFIDF_LOGREG.equals(name);
    }

    /** The sentence encoder whose review vectors this variant reads; empty for the variants of token ids only. */
    public Optional<String> sentenceEncoder() {
        return MINILM_LOGREG.equals(name) || TFIDF_MINILM_LOGREG.equals(name) ? Optional.of(ReviewEmbedding.MINILM)
                : Optional.empty();
    }

    /** Whether this variant reads a review's TF-IDF terms and its sentence-encoder vector together. */
    public boolean combined() {
        return TFIDF_MINILM_LOGREG.equals(name);
    }

    /**
     * Resolves a variant name against the embeddings a data set offers.
     *
     * @throws IllegalArgumentException for a name that is no variant of the study
     * @throws DataException            for a network variant whose embedding the data set does not offer
     */
    public static Variant resolve(String name, VocabularyRecord manifest, String gloveEmbedding) throws DataException {
        if (TFIDF_LOGREG.equals(name) || MINILM_LOGREG.equals(name) || TFIDF_MINILM_LOGREG.equals(name)) {
            return new Variant(name, Optional.empty(), false);
        }
        boolean frozen = name.endsWith(FROZEN);
        String base = frozen ? name.substring(0, name.length() - FROZEN.length()) : name;
        List<EmbeddingCoverage> offered = manifest.embeddings() == null ? List.of() : manifest.embeddings();
        boolean offeredName = offered.stream().map(EmbeddingCoverage::name).anyMatch(base::equals);
        if (!offeredName) {
            try {
                EmbeddingVariant.of(name);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage() + ", " + TFIDF_LOGREG + ", " + MINILM_LOGREG
                        + ", " + TFIDF_MINILM_LOGREG + ", or an embedding of data set "
                        + manifest.datasetId() + " with or without " + FROZEN + ": "
                        + offered.stream().map(EmbeddingCoverage::name).toList(), e);
            }
        }
        if (RANDOM.equals(base)) {
            return new Variant(name, Optional.empty(), frozen);
        }
        Optional<String> match = offered.stream().map(EmbeddingCoverage::name).filter(base::equals).findFirst();
        if (match.isEmpty() && GLOVE.equals(base)) {
            match = offered.stream().map(EmbeddingCoverage::name).filter(gloveEmbedding::equals).findFirst()
                    .or(() -> offered.stream().map(EmbeddingCoverage::name).filter(n -> n.startsWith(GLOVE)).findFirst());
        }
        if (match.isEmpty()) {
            throw new DataException("missing data: variant " + name + " needs an embedding that data set "
                    + manifest.datasetId() + " does not offer (offered: "
                    + offered.stream().map(EmbeddingCoverage::name).toList() + ")");
        }
        return new Variant(name, match, frozen);
    }
}
