package dev.imdbstream.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns padded token-id sequences into the network's inputs: features {@code [batch, time]} (ids as floats) and a
 * features mask {@code [batch, time]} that is 0 at padding and 1 elsewhere, so padding changes neither the LSTM
 * state nor the attention weights.
 */
public final class Batches {

    private Batches() {
    }

    /** Features and their mask for one batch. */
    public record Batch(INDArray features, INDArray mask) {
    }

    /**
     * @param tokens equally long sequences of token ids
     * @param padId  the padding id (0 in Keras' layout)
     */
    public static Batch features(int[][] tokens, int padId) {
        return features(tokens, 0, tokens.length, padId);
    }

    /** Features and mask of {@code tokens[from..to)}. */
    public static Batch features(int[][] tokens, int from, int to, int padId) {
        if (from < 0 || to > tokens.length || from >= to) {
            throw new IllegalArgumentException("empty or invalid range [" + from + ", " + to + ") of " + tokens.length);
        }
        int n = to - from;
        int length = tokens[from].length;
        float[] ids = new float[n * length];
        float[] mask = new float[n * length];
        for (int i = 0; i < n; i++) {
            int[] row = tokens[from + i];
            if (row.length != length) {
                throw new IllegalArgumentException("sequence " + (from + i) + " has length " + row.length
                        + ", expected " + length + " like the first of the batch");
            }
            for (int t = 0; t < length; t++) {
                ids[i * length + t] = row[t];
                mask[i * length + t] = row[t] == padId ? 0f : 1f;
            }
        }
        long[] shape = {n, length};
        return new Batch(Nd4j.create(ids, shape, 'c'), Nd4j.create(mask, shape, 'c'));
    }

    /** Labels {@code [batch, 1]} (0 negative, 1 positive) for the sigmoid output. */
    public static INDArray labels(int[] labels, int from, int to) {
        float[] y = new float[to - from];
        for (int i = from; i < to; i++) {
            if (labels[i] != 0 && labels[i] != 1) {
                throw new IllegalArgumentException("label " + labels[i] + " at " + i + " is not 0 or 1");
            }
            y[i - from] = labels[i];
        }
        return Nd4j.create(y, new long[] {to - from, 1}, 'c').castTo(DataType.FLOAT);
    }

    /** A training mini-batch of {@code tokens[from..to)}: features, labels and the features mask. */
    public static DataSet dataSet(int[][] tokens, int[] labels, int from, int to, int padId) {
        Batch batch = features(tokens, from, to, padId);
        return new DataSet(batch.features(), labels(labels, from, to), batch.mask(), null);
    }

    /** The whole arrays as one mini-batch. */
    public static DataSet dataSet(int[][] tokens, int[] labels, int padId) {
        return dataSet(tokens, labels, 0, tokens.length, padId);
    }
}
