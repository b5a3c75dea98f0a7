package dev.imdbstream.common.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import dev.imdbstream.common.schema.EmbeddingMatrix;
import dev.imdbstream.common.schema.VocabularyRecord.EmbeddingCoverage;
import dev.imdbstream.common.text.Vocabulary;

/**
 * An embedding matrix aligned with a vocabulary, whatever gave its vectors (GloVe, word2vec). Row {@code i} is the
 * vector of the word whose id is {@code i}; rows of ids without a vector (padding, start, OOV and words the
 * vectors lack) keep a seeded uniform(-0.05, 0.05) initialisation, Keras' {@code Embedding} default.
 *
 * @param entry      the file (or zip entry, or training run) the vectors came from
 * @param matrix     {@code rows * dim} floats, row {@code i} for id {@code i}
 * @param covered    vocabulary words that got a vector
 * @param total      vocabulary words (ids from {@code indexFrom})
 * @param missing    the vocabulary's words without a vector, by id
 * @param provenance how the vectors were made, for vectors trained here; null for read ones
 */
public record AlignedEmbedding(String entry, String source, int dim, int rows, float[] matrix, int covered, int total,
        long initSeed, List<String> missing, Map<String, String> provenance) {

    /** Keras' {@code RandomUniform(-0.05, 0.05)}, the {@code Embedding} layer's default initializer. */
    public static final double INIT_LIMIT = 0.05;

    public static Builder builder(Vocabulary vocabulary, int dim, long initSeed) {
        return new Builder(vocabulary, dim, initSeed);
    }

    public double coverage() {
        return total == 0 ? 0 : (double) covered / total;
    }

    public float[] row(int id) {
        float[] out = new float[dim];
        System.arraycopy(matrix, id * dim, out, 0, dim);
        return out;
    }

    public EmbeddingMatrix toRecord(String datasetId, String name) {
        return EmbeddingMatrix.of(datasetId, name, rows, dim, covered, initSeed, entry, matrix)
                .withProvenance(provenance);
    }

    public EmbeddingCoverage coverage(String name) {
        return new EmbeddingCoverage(name, covered, total, entry);
    }

    /** Starts from the random rows and takes the vectors of vocabulary words, the first one of each word. */
    public static final class Builder {
        private final Vocabulary vocabulary;
        private final int dim;
        private final long initSeed;
        private final float[] matrix;
        private final boolean[] covered;
        private int coveredCount;

        private Builder(Vocabulary vocabulary, int dim, long initSeed) {
            if (dim < 1) {
                throw new IllegalArgumentException("dimension must be positive: " + dim);
            }
            this.vocabulary = vocabulary;
            this.dim = dim;
            this.initSeed = initSeed;
            this.matrix = randomInit(vocabulary.size(), dim, initSeed);
            this.covered = new boolean[vocabulary.size()];
        }

        /** True for the id of a vocabulary word that has no vector yet. */
        public boolean wants(int id) {
            return id >= vocabulary.preprocessing().indexFrom() && id < covered.length && !covered[id]
                    && vocabulary.word(id) != null;
        }

        /** Sets row {@code id}, if {@link #wants(int)} it; later vectors of a covered id are ignored. */
        public void put(int id, float[] vector) {
            if (vector.length != dim) {
                throw new IllegalArgumentException("vector of " + vector.length + " values, expected " + dim);
            }
            if (!wants(id)) {
                return;
            }
            System.arraycopy(vector, 0, matrix, id * dim, dim);
            covered[id] = true;
            coveredCount++;
        }

        public AlignedEmbedding build(String entry, String source, Map<String, String> provenance) {
            List<String> missing = new ArrayList<>();
            for (int id = vocabulary.preprocessing().indexFrom(); id < covered.length; id++) {
                String word = vocabulary.word(id);
                if (word != null && !covered[id]) {
                    missing.add(word);
                }
            }
            return new AlignedEmbedding(entry, source, dim, covered.length, matrix, coveredCount,
                    vocabulary.words().size(), initSeed, missing, provenance == null ? null : Map.copyOf(provenance));
        }
    }

    /** uniform(-0.05, 0.05) for every value, row-major, from one seeded generator. */
    static float[] randomInit(int rows, int dim, long seed) {
        float[] m = new float[Math.multiplyExact(rows, dim)];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < m.length; i++) {
            m[i] = (float) random.nextDouble(-INIT_LIMIT, INIT_LIMIT);
        }
        return m;
    }
}
