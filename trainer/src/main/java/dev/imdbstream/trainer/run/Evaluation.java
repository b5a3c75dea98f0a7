package dev.imdbstream.trainer.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.imdbstream.common.schema.TrainingResult.ClassMetrics;
import dev.imdbstream.common.schema.TrainingResult.PrCurve;
import dev.imdbstream.common.schema.TrainingResult.TestMetrics;

/**
 * Binary classification metrics of predicted probabilities against true labels, as scikit-learn computes
 * them: confusion matrix at threshold 0.5, precision/recall/F1 per class, ROC-AUC (ties counted half) and
 * the precision-recall curve with its average precision. Pure functions.
 */
public final class Evaluation {

    /** Keras clips probabilities by this before taking logs. */
    static final double EPSILON = 1e-7;

    private Evaluation() {
    }

    /** Mean binary cross-entropy. */
    public static double logLoss(double[] probabilities, int[] labels) {
        double sum = 0;
        for (int i = 0; i < labels.length; i++) {
            double p = Math.min(1 - EPSILON, Math.max(EPSILON, probabilities[i]));
            sum -= labels[i] == 1 ? Math.log(p) : Math.log(1 - p);
        }
        return labels.length == 0 ? Double.NaN : sum / labels.length;
    }

    /** Share of predictions ({@code p >= 0.5}) that equal the label. */
    public static double accuracy(double[] probabilities, int[] labels) {
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if ((probabilities[i] >= 0.5 ? 1 : 0) == labels[i]) {
                correct++;
            }
        }
        return labels.length == 0 ? Double.NaN : (double) correct / labels.length;
    }

    public static TestMetrics testMetrics(double[] probabilities, int[] labels, int prCurvePoints) {
        if (probabilities.length != labels.length) {
            throw new IllegalArgumentException(probabilities.length + " predictions for " + labels.length + " labels");
        }
        long tn = 0, fp = 0, fn = 0, tp = 0;
        for (int i = 0; i < labels.length; i++) {
            boolean predicted = probabilities[i] >= 0.5;
            if (labels[i] == 1) {
                if (predicted) tp++; else fn++;
            } else {
                if (predicted) fp++; else tn++;
            }
        }
        long[][] confusion = {{tn, fp}, {fn, tp}};
        List<ClassMetrics> perClass = List.of(
                classMetrics("negative", tn, fn, fp, tn + fp),
                classMetrics("positive", tp, fp, fn, tp + fn));
        return new TestMetrics(labels.length, logLoss(probabilities, labels), accuracy(probabilities, labels),
                rocAuc(probabilities, labels), confusion, perClass, prCurve(probabilities, labels, prCurvePoints));
    }

    /** Precision, recall and F1 of one class, 0 where undefined (scikit-learn's zero_division=0). */
    private static ClassMetrics classMetrics(String label, long truePositives, long falsePositives,
            long falseNegatives, long support) {
        double precision = ratio(truePositives, truePositives + falsePositives);
        double recall = ratio(truePositives, truePositives + falseNegatives);
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new ClassMetrics(label, precision, recall, f1, support);
    }

    private static double ratio(long a, long b) {
        return b == 0 ? 0 : (double) a / b;
    }

    /** Area under the ROC curve as the Mann-Whitney statistic; NaN when only one class is present. */
    public static double rocAuc(double[] probabilities, int[] labels) {
        Integer[] order = sortedIndexes(probabilities, false);
        long positives = Arrays.stream(labels).filter(l -> l == 1).count();
        long negatives = labels.length - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        // Sum of the positives' (average, for ties) ranks.
        double rankSum = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && probabilities[order[j + 1]] == probabilities[order[i]]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (labels[order[k]] == 1) {
                    rankSum += averageRank;
                }
            }
            i = j + 1;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /**
     * Precision and recall at every distinct threshold (scores descending), down-sampled to at most
     * {@code maxPoints}; the average precision uses every threshold: {@code sum (R_n - R_{n-1}) P_n}.
     */
    public static PrCurve prCurve(double[] probabilities, int[] labels, int maxPoints) {
        Integer[] order = sortedIndexes(probabilities, true);
        long positives = Arrays.stream(labels).filter(l -> l == 1).count();
        List<double[]> points = new ArrayList<>(); // threshold, precision, recall
        long tp = 0, fp = 0;
        double averagePrecision = 0;
        double previousRecall = 0;
        int i = 0;
        while (i < order.length) {
            double threshold = probabilities[order[i]];
            while (i < order.length && probabilities[order[i]] == threshold) {
                if (labels[order[i]] == 1) tp++; else fp++;
                i++;
            }
            double precision = (double) tp / (tp + fp);
            double recall = positives == 0 ? 0 : (double) tp / positives;
            averagePrecision += (recall - previousRecall) * precision;
            previousRecall = recall;
            points.add(new double[] {threshold, precision, recall});
        }
        List<double[]> kept = downSample(points, Math.max(2, maxPoints));
        double[] thresholds = new double[kept.size()];
        double[] precision = new double[kept.size()];
        double[] recall = new double[kept.size()];
        for (int k = 0; k < kept.size(); k++) {
            thresholds[k] = kept.get(k)[0];
            precision[k] = kept.get(k)[1];
            recall[k] = kept.get(k)[2];
        }
        return new PrCurve(thresholds, precision, recall, positives == 0 ? Double.NaN : averagePrecision);
    }

    /** Evenly spaced points, always keeping the first and the last. */
    private static List<double[]> downSample(List<double[]> points, int maxPoints) {
        if (points.size() <= maxPoints) {
            return points;
        }
        List<double[]> out = new ArrayList<>(maxPoints);
        double step = (points.size() - 1) / (double) (maxPoints - 1);
        for (int k = 0; k < maxPoints; k++) {
            out.add(points.get((int) Math.round(k * step)));
        }
        return out;
    }

    private static Integer[] sortedIndexes(double[] scores, boolean descending) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> descending ? Double.compare(scores[b], scores[a]) : Double.compare(scores[a], scores[b]));
        return order;
    }
}
