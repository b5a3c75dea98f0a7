package dev.imdbstream.model.tfidf;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import dev.imdbstream.common.schema.Preprocessing;

/**
 * The {@code tfidf-logreg} baseline as it is served: {@link TfidfFeaturizer} rows and a logistic regression,
 * {@code p(positive) = sigmoid(w . x + b)}. Its {@code ModelArtifact.weights} are {@link #encode()}d as
 * {@value #FORMAT} (every number big-endian, as {@link DataOutputStream} writes them):
 *
 * <pre>
 * bytes  "TFLR"            magic
 * int    2                 version of this encoding
 * int    input             what the model reads of a review: 0 {@link Input#PADDED_SEQUENCE}, 1 {@link Input#WHOLE_REVIEW}
 * int    numWords          the vocabulary size the term keys refer to (= the artifact's preprocessing.numWords)
 * double b                 intercept
 * int    T                 number of terms (columns)
 * T x {  int first         word id of the term
 *        int second        second word id of a bigram, -1 for a unigram
 *        double idf        the term's inverse document frequency
 *        double w }        the term's coefficient
 * </pre>
 * Terms are in increasing key order (unigrams by id, then bigrams by first then second id); nothing follows them.
 * Version 1 had no {@code input} field: its models read the padded sequence. Immutable and thread-safe.
 */
public final class TfidfLogisticModel {

    /** {@code ModelArtifact.format} of this kind of model. */
    public static final String FORMAT = "tfidf-logreg-v1";
    private static final int MAGIC = 0x54464C52; // "TFLR"
    private static final int ENCODING_VERSION = 2;
    private static final int HEADER_V1_BYTES = 4 + 4 + 4 + 8 + 4;
    private static final int HEADER_BYTES = HEADER_V1_BYTES + 4;
    private static final int TERM_BYTES = 4 + 4 + 8 + 8;

    /** What the model reads of a review: the features of the training and the serving side must come from the same. */
    public enum Input {
        /** The padded sequence the networks read ({@code Vocabulary.encodeText}): the last {@code maxLen} ids. */
        PADDED_SEQUENCE,
        /** Every id of the review ({@code Vocabulary.encode} of its tokens), however long it is. */
        WHOLE_REVIEW
    }

    private final TfidfFeaturizer featurizer;
    private final Input input;
    private final double[] weights;
    private final double bias;

    /**
     * @param input   what the featurizer was fitted on, and so what {@link #predict} must be given
     * @param weights one coefficient per column of {@code featurizer}
     */
    public TfidfLogisticModel(TfidfFeaturizer featurizer, Input input, double[] weights, double bias) {
        if (weights.length != featurizer.size()) {
            throw new IllegalArgumentException(weights.length + " weights for " + featurizer.size() + " terms");
        }
        for (double w : weights) {
            if (!Double.isFinite(w)) {
                throw new IllegalArgumentException("a coefficient is not finite: " + w);
            }
        }
        if (!Double.isFinite(bias)) {
            throw new IllegalArgumentException("the intercept is not finite: " + bias);
        }
        this.featurizer = featurizer;
        this.input = java.util.Objects.requireNonNull(input, "input");
        this.weights = weights.clone();
        this.bias = bias;
    }

    public TfidfFeaturizer featurizer() {
        return featurizer;
    }

    public Input input() {
        return input;
    }

    public double bias() {
        return bias;
    }

    /** Positive-class probabilities of reviews' ids as {@link #input()} says (padding and start ids are skipped). */
    public double[] predict(int[][] sequences) {
        double[] p = new double[sequences.length];
        for (int i = 0; i < sequences.length; i++) {
            p[i] = probability(featurizer.features(sequences[i]));
        }
        return p;
    }

    /** The positive-class probability of one feature row. */
    public double probability(TfidfFeaturizer.Row row) {
        return 1 / (1 + Math.exp(-logit(row)));
    }

    /** {@code w . x + b} of one feature row. */
    public double logit(TfidfFeaturizer.Row row) {
        double z = bias;
        for (int k = 0; k < row.indexes().length; k++) {
            z += weights[row.indexes()[k]] * row.values()[k];
        }
        return z;
    }

    /** The {@value #FORMAT} bytes. */
    public byte[] encode() {
        long[] terms = featurizer.terms();
        double[] idf = featurizer.idf();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(HEADER_BYTES + terms.length * TERM_BYTES);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(ENCODING_VERSION);
            out.writeInt(input.ordinal());
            out.writeInt(featurizer.numWords());
            out.writeDouble(bias);
            out.writeInt(terms.length);
            for (int i = 0; i < terms.length; i++) {
                int[] words = TfidfFeaturizer.words(terms[i], featurizer.numWords());
                out.writeInt(words[0]);
                out.writeInt(words[1]);
                out.writeDouble(idf[i]);
                out.writeDouble(weights[i]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads {@value #FORMAT} bytes (untrusted: every count, id and number is checked before use).
     *
     * @throws IllegalArgumentException when the bytes are not a valid encoding for this preprocessing
     */
    public static TfidfLogisticModel decode(byte[] bytes, Preprocessing preprocessing) {
        if (bytes.length < HEADER_V1_BYTES) {
            throw new IllegalArgumentException(FORMAT + ": " + bytes.length + " bytes, shorter than the header");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException(FORMAT + ": not a TFLR encoding");
            }
            int version = in.readInt();
            if (version != 1 && version != ENCODING_VERSION) {
                throw new IllegalArgumentException(FORMAT + ": encoding version " + version + ", this build reads 1 to "
                        + ENCODING_VERSION);
            }
            int header = version == 1 ? HEADER_V1_BYTES : HEADER_BYTES;
            Input input = Input.PADDED_SEQUENCE;
            if (version > 1) {
                int code = in.readInt();
                if (code < 0 || code >= Input.values().length) {
                    throw new IllegalArgumentException(FORMAT + ": unknown input " + code);
                }
                input = Input.values()[code];
            }
            int numWords = in.readInt();
            if (numWords != preprocessing.numWords()) {
                throw new IllegalArgumentException(FORMAT + ": terms of " + numWords + " word ids, the preprocessing has "
                        + preprocessing.numWords());
            }
            double bias = in.readDouble();
            int count = in.readInt();
            if (count < 0 || (long) count * TERM_BYTES != bytes.length - header) {
                throw new IllegalArgumentException(FORMAT + ": " + count + " terms do not fill the " + bytes.length
                        + " bytes");
            }
            long[] terms = new long[count];
            double[] idf = new double[count];
            double[] weights = new double[count];
            for (int i = 0; i < count; i++) {
                int first = in.readInt();
                int second = in.readInt();
                if (first < 0 || first >= numWords || second < -1 || second >= numWords) {
                    throw new IllegalArgumentException(FORMAT + ": term " + i + " has word ids outside [0, " + numWords
                            + ")");
                }
                terms[i] = second < 0 ? TfidfFeaturizer.unigram(first) : TfidfFeaturizer.bigram(first, second, numWords);
                idf[i] = in.readDouble();
                weights[i] = in.readDouble();
            }
            return new TfidfLogisticModel(new TfidfFeaturizer(preprocessing, terms, idf), input, weights, bias);
        } catch (IOException e) {
            throw new IllegalArgumentException(FORMAT + ": " + e.getMessage(), e);
        }
    }
}
