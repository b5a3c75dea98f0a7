package dev.imdbstream.trainer.data;

import java.util.Map;

/**
 * What one run trains, validates and tests on, selected by the reviews' {@code index} fields.
 *
 * @param trainIndexes the training subset in the seed's draw order
 * @param provenance   data set, subset and read offsets, for the artifact
 */
public record RunData(Examples train, Examples validation, Examples test, int[] trainIndexes,
        Map<String, String> provenance) {

    /**
     * Padded sequences with their 0/1 labels.
     *
     * @param allTokens every id of each review (unpadded, untruncated), or null when a review's record lacks them
     * @param vectors   each review's sentence-encoder vector, for the variants that read them; null for the others
     */
    public record Examples(int[][] tokens, int[][] allTokens, int[] labels, float[][] vectors) {

        public Examples(int[][] tokens, int[][] allTokens, int[] labels) {
            this(tokens, allTokens, labels, null);
        }

        public Examples(int[][] tokens, int[] labels) {
            this(tokens, null, labels);
        }

        public int size() {
            return labels.length;
        }
    }
}
