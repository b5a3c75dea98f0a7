package dev.imdbstream.model.sentence;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * A logistic regression on a frozen sentence encoder's review vectors, {@code p(positive) = sigmoid(w . v + b)}: the
 * {@code minilm-logreg} variant as it is served. The vectors come from {@code dev.imdbstream.encoder.SentenceEncoder}
 * of {@link #encoder()}, the same code on the ingestor's side (training) and the scorer's (serving). Its
 * {@code ModelArtifact.weights} are {@link #encode()}d as {@value #FORMAT} (big-endian, as {@link DataOutputStream}
 * writes them):
 *
 * <pre>
 * bytes  "SELR"     magic
 * int    1          version of this encoding
 * UTF    encoder    the encoder's name (DataOutputStream.writeUTF)
 * int    D          the vectors' dimension
 * double b          intercept
 * D x double w      coefficients
 * </pre>
 * Nothing follows. Immutable and thread-safe.
 */
public final class SentenceLogisticModel {

    /** {@code ModelArtifact.format} of this kind of model. */
    public static final String FORMAT = "sentence-logreg-v1";
    private static final int MAGIC = 0x53454C52; // "SELR"
    private static final int ENCODING_VERSION = 1;

    private final String encoder;
    private final double[] weights;
    private final double bias;

    public SentenceLogisticModel(String encoder, double[] weights, double bias) {
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        if (weights.length == 0) {
            throw new IllegalArgumentException("no coefficients");
        }
        for (double w : weights) {
            if (!Double.isFinite(w)) {
                throw new IllegalArgumentException("a coefficient is not finite: " + w);
            }
        }
        if (!Double.isFinite(bias)) {
            throw new IllegalArgumentException("the intercept is not finite: " + bias);
        }
        this.weights = weights.clone();
        this.bias = bias;
    }

    /** The name of the encoder whose vectors this model reads. */
    public String encoder() {
        return encoder;
    }

    public int dimension() {
        return weights.length;
    }

    /**
     * The positive-class probability of one review vector.
     *
     * @throws IllegalArgumentException for a vector of another dimension
     */
    public double probability(float[] vector) {
        return 1 / (1 + Math.exp(-logit(vector)));
    }

    /**
     * {@code w . v + b} of one review vector.
     *
     * @throws IllegalArgumentException for a vector of another dimension
     */
    public double logit(float[] vector) {
        if (vector.length != weights.length) {
            throw new IllegalArgumentException("a vector of " + vector.length + " values, the model reads "
                    + weights.length + " (" + encoder + ")");
        }
        double z = bias;
        for (int j = 0; j < weights.length; j++) {
            z += weights[j] * vector[j];
        }
        return z;
    }

    /** Positive-class probabilities of review vectors. */
    public double[] predict(float[][] vectors) {
        double[] p = new double[vectors.length];
        for (int i = 0; i < vectors.length; i++) {
            p[i] = probability(vectors[i]);
        }
        return p;
    }

    /** The {@value #FORMAT} bytes. */
    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 8 * weights.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(ENCODING_VERSION);
            out.writeUTF(encoder);
            out.writeInt(weights.length);
            out.writeDouble(bias);
            for (double w : weights) {
                out.writeDouble(w);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads {@value #FORMAT} bytes (untrusted: the counts and numbers are checked before use).
     *
     * @throws IllegalArgumentException when the bytes are not a valid encoding
     */
    public static SentenceLogisticModel decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (bytes.length < 8 || in.readInt() != MAGIC) {
                throw new IllegalArgumentException(FORMAT + ": not a SELR encoding");
            }
            int version = in.readInt();
            if (version != ENCODING_VERSION) {
                throw new IllegalArgumentException(FORMAT + ": encoding version " + version + ", this build reads "
                        + ENCODING_VERSION);
            }
            String encoder = in.readUTF();
            int dimension = in.readInt();
            double bias = in.readDouble();
            if (dimension < 1 || (long) dimension * Double.BYTES != in.available()) {
                throw new IllegalArgumentException(FORMAT + ": " + dimension + " coefficients do not fill the "
                        + bytes.length + " bytes");
            }
            double[] weights = new double[dimension];
            for (int j = 0; j < dimension; j++) {
                weights[j] = in.readDouble();
            }
            return new SentenceLogisticModel(encoder, weights, bias);
        } catch (IOException e) {
            throw new IllegalArgumentException(FORMAT + ": " + e.getMessage(), e);
        }
    }
}
