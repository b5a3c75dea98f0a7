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
        int[] rows = new int[to - from];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = from + i;
        }
        return features(tokens, rows, 0, padId);
    }

    /**
     * Features and mask of the sequences {@code tokens[rows[i]]}, without their first {@code skip} steps.
     *
     * @throws IllegalArgumentException if the sequences are not equally long or {@code skip} leaves no step
     */
    public static Batch features(int[][] tokens, int[] rows, int skip, int padId) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("no sequences");
        }
        int n = rows.length;
        int full = tokens[rows[0]].length;
        int length = full - skip;
        if (skip < 0 || length < 1) {
            throw new IllegalArgumentException("cannot skip " + skip + " of " + full + " steps");
        }
        float[] ids = new float[n * length];
        float[] mask = new float[n * length];
        for (int i = 0; i < n; i++) {
            int[] row = tokens[rows[i]];
            if (row.length != full) {
                throw new IllegalArgumentException("sequence " + rows[i] + " has length " + row.length
                        + ", expected " + full + " like the first of the batch");
            }
            for (int t = 0; t < length; t++) {
                int id = row[skip + t];
                ids[i * length + t] = id;
                mask[i * length + t] = id == padId ? 0f : 1f;
            }
        }
        long[] shape = {n, length};
        return new Batch(Nd4j.create(ids, shape, 'c'), Nd4j.create(mask, shape, 'c'));
    }

    /** Number of padding ids a sequence starts with. */
    public static int leadingPadding(int[] sequence, int padId) {
        int k = 0;
        while (k < sequence.length && sequence[k] == padId) {
            k++;
        }
        return k;
    }

    /** The leading steps that are padding in all the sequences {@code tokens[rows[i]]}, keeping at least one step. */
    public static int commonLeadingPadding(int[][] tokens, int[] rows, int padId) {
        int common = Integer.MAX_VALUE;
        for (int r : rows) {
            common = Math.min(common, leadingPadding(tokens[r], padId));
        }
        return Math.max(0, Math.min(common, tokens[rows[0]].length - 1));
    }

    /** Indices of the sequences, most leading padding first (ties in index order). */
    public static int[] byLeadingPadding(int[][] tokens, int padId) {
        Integer[] order = new Integer[tokens.length];
        int[] padding = new int[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            order[i] = i;
            padding[i] = leadingPadding(tokens[i], padId);
        }
        java.util.Arrays.sort(order, (a, b) -> padding[a] != padding[b] ? Integer.compare(padding[b], padding[a])
                : Integer.compare(a, b));
        int[] out = new int[order.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = order[i];
        }
        return out;
    }

    /** 0, 1, ..., n-1. */
    public static int[] identity(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
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
