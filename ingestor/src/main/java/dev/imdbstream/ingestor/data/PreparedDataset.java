package dev.imdbstream.ingestor.data;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.imdbstream.common.data.ImdbSplit;
import dev.imdbstream.common.schema.ReviewSequence;
import dev.imdbstream.common.text.Vocabulary;

/**
 * A data set ready to publish: the vocabulary fitted on the training split and every review encoded, padded
 * and shuffled (its {@code index} is its position after the shuffle).
 *
 * @param datasetId deterministic: digest of the reviews' content, the preprocessing and the shuffle seed
 * @param source    what was read (path, and the archive's sha256 when it is one)
 * @param reviews   per split, in {@code index} order
 * @param stats     the manifest's statistics ({@link dev.imdbstream.common.schema.VocabularyRecord.Stats} keys)
 * @param corpus    the training and unlabelled reviews' tokens for word vectors, when asked for
 */
public record PreparedDataset(String datasetId, Vocabulary vocabulary, String source,
        Map<ImdbSplit, List<ReviewSequence>> reviews, Map<String, Double> stats, Optional<Corpus> corpus) {

    public List<ReviewSequence> reviews(ImdbSplit split) {
        return reviews.getOrDefault(split, List.of());
    }

    public int totalReviews() {
        return reviews.values().stream().mapToInt(List::size).sum();
    }
}
