package dev.imdbstream.model;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Prediction and evaluation shared by trainer and scorer: consumes padded token-id sequences (and labels), produces
 * positive-class probabilities, the true binary cross-entropy and accuracy. Always in inference mode (no dropout,
 * BatchNormalization's running statistics).
 */
public final class Inference {

    /** Batch size of inference passes: bounds memory, not results. */
    public static final int BATCH_SIZE = 256;

    /** Probabilities are clipped to [EPSILON, 1 - EPSILON] in the loss, as Keras does. */
    public static final double EPSILON = 1e-7;

    private Inference() {
    }

    /** Loss, accuracy and the probabilities they came from, over {@code n} examples. */
    public record Evaluation(int n, double loss, double accuracy, double[] probabilities) {
    }

    /**
     * Positive-class probability of each sequence. Not thread-safe per network: one caller at a time. Sequences are
     * scored in batches of similar padding, each without the leading steps that are padding in all its sequences
     * ({@link #predict(MultiLayerNetwork, int[][], int, boolean)}).
     */
    public static double[] predict(MultiLayerNetwork net, int[][] tokens, int padId) {
        return predict(net, tokens, padId, true);
    }

    /**
     * Positive-class probability of each sequence.
     *
     * @param trimPadding whether to group sequences by their amount of leading padding and to leave out the steps
     *                    that are padding in every sequence of a batch. The result is the same (the network masks
     *                    padding, and inference uses BatchNormalization's running statistics), the work smaller; in
     *                    the order given otherwise, every batch as long as the sequences
     */
    public static double[] predict(MultiLayerNetwork net, int[][] tokens, int padId, boolean trimPadding) {
        double[] out = new double[tokens.length];
        int[] order = trimPadding ? Batches.byLeadingPadding(tokens, padId) : Batches.identity(tokens.length);
        for (int from = 0; from < tokens.length; from += BATCH_SIZE) {
            int to = Math.min(tokens.length, from + BATCH_SIZE);
            int[] rows = java.util.Arrays.copyOfRange(order, from, to);
            int skip = trimPadding ? Batches.commonLeadingPadding(tokens, rows, padId) : 0;
            Batches.Batch batch = Batches.features(tokens, rows, skip, padId);
            INDArray p = net.output(batch.features(), false, batch.mask(), null);
            for (int i = 0; i < rows.length; i++) {
                out[rows[i]] = p.getDouble(i, 0);
            }
        }
        return out;
    }

    /** The true binary cross-entropy (without DL4J's regularization term) and accuracy at threshold 0.5. */
    public static Evaluation evaluate(MultiLayerNetwork net, int[][] tokens, int[] labels, int padId) {
        if (tokens.length != labels.length) {
            throw new IllegalArgumentException(tokens.length + " sequences but " + labels.length + " labels");
        }
        double[] p = predict(net, tokens, padId);
        return new Evaluation(p.length, binaryCrossEntropy(p, labels), accuracy(p, labels), p);
    }

    /** Mean binary cross-entropy of probabilities against 0/1 labels. */
    public static double binaryCrossEntropy(double[] probabilities, int[] labels) {
        if (probabilities.length == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 0; i < probabilities.length; i++) {
            double p = Math.min(1 - EPSILON, Math.max(EPSILON, probabilities[i]));
            sum -= labels[i] == 1 ? Math.log(p) : Math.log(1 - p);
        }
        return sum / probabilities.length;
    }

    /** Share of examples whose probability falls on the side of 0.5 of their label. */
    public static double accuracy(double[] probabilities, int[] labels) {
        if (probabilities.length == 0) {
            return Double.NaN;
        }
        int correct = 0;
        for (int i = 0; i < probabilities.length; i++) {
            if ((probabilities[i] >= 0.5 ? 1 : 0) == labels[i]) {
                correct++;
            }
        }
        return (double) correct / probabilities.length;
    }
}
