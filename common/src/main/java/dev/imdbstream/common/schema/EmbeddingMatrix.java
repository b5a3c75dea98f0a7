package dev.imdbstream.common.schema;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * Value of the compacted {@code imdb.embeddings} topic (key: {@code <datasetId>/<name>}), schema v1.
 * Row {@code i} is the vector of the word whose id is {@code i}; rows of ids without a pretrained vector
 * (padding, start, OOV, uncovered words) hold the random initialisation drawn with {@link #initSeed()}.
 *
 * @param name      embedding name, e.g. {@code glove.6B.100d}
 * @param values    {@code rows * dim} float32 values, row-major, little-endian (base64 in JSON)
 * @param covered   rows that got a pretrained vector
 * @param provenance how vectors trained by the ingestor were made (e.g. word2vec's settings, corpus and time);
 *                   null for vectors read from a file, whose {@code source} says where they came from. Added
 *                   within v1: readers ignore it, records written before it have none.
 */
public record EmbeddingMatrix(int schemaVersion, String datasetId, String name, int rows, int dim, int covered,
        long initSeed, String source, byte[] values, Map<String, String> provenance) {

    public static final int VERSION = 1;

    public static String key(String datasetId, String name) {
        return datasetId + "/" + name;
    }

    public static EmbeddingMatrix of(String datasetId, String name, int rows, int dim, int covered, long initSeed,
            String source, float[] matrix) {
        if (matrix.length != rows * dim) {
            throw new IllegalArgumentException("matrix has " + matrix.length + " values, expected " + rows * dim);
        }
        ByteBuffer buf = ByteBuffer.allocate(matrix.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(matrix);
        return new EmbeddingMatrix(VERSION, datasetId, name, rows, dim, covered, initSeed, source, buf.array(), null);
    }

    /** This matrix with the given provenance (null for none). */
    public EmbeddingMatrix withProvenance(Map<String, String> provenance) {
        return new EmbeddingMatrix(schemaVersion, datasetId, name, rows, dim, covered, initSeed, source, values,
                provenance);
    }

    /** The matrix as {@code rows * dim} floats, row-major. */
    public float[] floats() {
        float[] out = new float[rows * dim];
        ByteBuffer.wrap(values).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }
}
