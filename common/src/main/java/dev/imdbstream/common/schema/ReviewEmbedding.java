package dev.imdbstream.common.schema;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Value of the compacted {@code imdb.review-embeddings} topic (key: {@link #key(String, String, String)},
 * {@code <datasetId>/<encoder>/<id>}), schema v1: one review of a data set as a frozen sentence encoder reads it,
 * computed once by the ingestor and read by the trainer's encoder variants.
 *
 * @param encoder the encoder and how it reads a review, e.g. {@code all-minilm-l6-v2-w256}
 * @param id      the review's id, as in {@link ReviewSequence#id()}
 * @param split   {@code train} or {@code test}
 * @param index   the review's {@link ReviewSequence#index()} in its split
 * @param values  {@code dim} float32 values, little-endian (base64 in JSON)
 */
public record ReviewEmbedding(int schemaVersion, String datasetId, String encoder, String id, String split, int index,
        int dim, byte[] values) {

    public static final int VERSION = 1;
    /**
     * all-MiniLM-L6-v2 reading whole reviews in windows of 256 word pieces ({@code dev.imdbstream.encoder.SentenceEncoder}):
     * the encoder of the {@code minilm-logreg} variant.
     */
    public static final String MINILM = "all-minilm-l6-v2-w256";

    public static String key(String datasetId, String encoder, String id) {
        return datasetId + "/" + encoder + "/" + id;
    }

    public static ReviewEmbedding of(String datasetId, String encoder, ReviewSequence review, float[] vector) {
        ByteBuffer buf = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(vector);
        return new ReviewEmbedding(VERSION, datasetId, encoder, review.id(), review.split(), review.index(),
                vector.length, buf.array());
    }

    public String key() {
        return key(datasetId, encoder, id);
    }

    /** The vector: {@link #dim()} floats. */
    public float[] floats() {
        float[] out = new float[dim];
        ByteBuffer.wrap(values).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }
}
