package dev.imdbstream.model.sentence;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

import dev.imdbstream.common.schema.Preprocessing;
import dev.imdbstream.model.tfidf.TfidfFeaturizer;
import dev.imdbstream.model.tfidf.TfidfLogisticModel;

/**
 * One logistic regression on a review's TF-IDF terms and its frozen sentence-encoder vector together:
 * {@code p(positive) = sigmoid(w . x + b + u . v)}, the {@code tfidf-minilm-logreg} variant as it is served. The terms
 * part is a {@link TfidfLogisticModel} (featurizer, term coefficients, the intercept), the vector part a
 * {@link SentenceLogisticModel} with intercept 0 (its coefficients include the scale the vector had in training).
 * Its {@code ModelArtifact.weights} are {@link #encode()}d as {@value #FORMAT} (big-endian):
 *
 * <pre>
 * bytes  "TSLR"     magic
 * int    1          version of this encoding
 * int    L          length of the next part
 * L bytes           the terms part, as {@link TfidfLogisticModel#encode()}
 * rest              the vector part, as {@link SentenceLogisticModel#encode()}
 * </pre>
 * Immutable and thread-safe.
 */
public final class TfidfSentenceModel {

    /** {@code ModelArtifact.format} of this kind of model. */
    public static final String FORMAT = "tfidf-sentence-logreg-v1";
    private static final int MAGIC = 0x54534C52; // "TSLR"
    private static final int ENCODING_VERSION = 1;
    private static final int HEADER_BYTES = 12;

    private final TfidfLogisticModel terms;
    private final SentenceLogisticModel vector;

    public TfidfSentenceModel(TfidfLogisticModel terms, SentenceLogisticModel vector) {
        this.terms = Objects.requireNonNull(terms, "terms");
        this.vector = Objects.requireNonNull(vector, "vector");
    }

    public TfidfLogisticModel terms() {
        return terms;
    }

    public SentenceLogisticModel vector() {
        return vector;
    }

    /** The positive-class probability of a review's feature row and its vector. */
    public double probability(TfidfFeaturizer.Row row, float[] v) {
        return 1 / (1 + Math.exp(-(terms.logit(row) + vector.logit(v))));
    }

    /**
     * Positive-class probabilities of reviews: their ids as {@code terms().input()} says, and their vectors.
     *
     * @throws IllegalArgumentException when the counts differ or a vector has another dimension
     */
    public double[] predict(int[][] ids, float[][] vectors) {
        if (ids.length != vectors.length) {
            throw new IllegalArgumentException(ids.length + " reviews' ids, " + vectors.length + " vectors");
        }
        double[] p = new double[ids.length];
        for (int i = 0; i < ids.length; i++) {
            p[i] = probability(terms.featurizer().features(ids[i]), vectors[i]);
        }
        return p;
    }

    /** The {@value #FORMAT} bytes. */
    public byte[] encode() {
        byte[] t = terms.encode();
        byte[] v = vector.encode();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(HEADER_BYTES + t.length + v.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(ENCODING_VERSION);
            out.writeInt(t.length);
            out.write(t);
            out.write(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads {@value #FORMAT} bytes (untrusted: both parts are checked by their own decoders).
     *
     * @throws IllegalArgumentException when the bytes are not a valid encoding for this preprocessing
     */
    public static TfidfSentenceModel decode(byte[] bytes, Preprocessing preprocessing) {
        if (bytes.length < HEADER_BYTES) {
            throw new IllegalArgumentException(FORMAT + ": " + bytes.length + " bytes, shorter than the header");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.getInt() != MAGIC) {
            throw new IllegalArgumentException(FORMAT + ": not a TSLR encoding");
        }
        int version = in.getInt();
        if (version != ENCODING_VERSION) {
            throw new IllegalArgumentException(FORMAT + ": encoding version " + version + ", this build reads "
                    + ENCODING_VERSION);
        }
        int length = in.getInt();
        if (length < 0 || length > bytes.length - HEADER_BYTES) {
            throw new IllegalArgumentException(FORMAT + ": a terms part of " + length + " bytes in " + bytes.length);
        }
        TfidfLogisticModel terms = TfidfLogisticModel.decode(
                Arrays.copyOfRange(bytes, HEADER_BYTES, HEADER_BYTES + length), preprocessing);
        SentenceLogisticModel vector = SentenceLogisticModel.decode(
                Arrays.copyOfRange(bytes, HEADER_BYTES + length, bytes.length));
        return new TfidfSentenceModel(terms, vector);
    }
}
