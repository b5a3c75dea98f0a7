package dev.imdbstream.common.study;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntUnaryOperator;

/**
 * Which training reviews one run uses, chosen by the reviews' {@code index} field (their position in the
 * ingestor's shuffled training split), so the same run sees the same reviews whatever the topic's
 * partitioning or offsets.
 * <ul>
 * <li>Validation: the last {@code validationSize} indexes of the training split, the same held-out
 *     reviews for every run (never the test set).</li>
 * <li>Training subset: {@code subsetSize} indexes drawn without replacement from the rest, by a
 *     permutation seeded with the run's seed; a larger subset of the same seed contains the smaller one.
 *     {@link #balanced} draws half of them from each label instead (the same nesting per label).</li>
 * </ul>
 */
public final class SubsetPlan {

    private final int trainTotal;
    private final int validationSize;
    /** Position of each pool index in the seed's draw order, or -1 when not drawn. */
    private final int[] rank;

    private SubsetPlan(int trainTotal, int validationSize, int[] rank) {
        this.trainTotal = trainTotal;
        this.validationSize = validationSize;
        this.rank = rank;
    }

    public static SubsetPlan of(int trainTotal, int validationSize, int subsetSize, long seed) {
        int pool = trainTotal - validationSize;
        if (validationSize < 1 || subsetSize < 1 || subsetSize > pool) {
            throw new IllegalArgumentException("cannot draw " + subsetSize + " training and " + validationSize
                    + " validation reviews from " + trainTotal);
        }
        int[] order = new int[pool];
        for (int i = 0; i < pool; i++) {
            order[i] = i;
        }
        shuffleFront(order, pool, subsetSize, new SplittableRandom(seed));
        int[] rank = new int[pool];
        Arrays.fill(rank, -1);
        for (int i = 0; i < subsetSize; i++) {
            rank[order[i]] = i;
        }
        return new SubsetPlan(trainTotal, validationSize, rank);
    }

    /**
     * A subset of {@code subsetSize / 2} negative and {@code subsetSize - subsetSize / 2} positive reviews, each
     * drawn from its label's part of the pool as {@link #of} draws from the whole pool, alternating labels in the
     * draw order. A plain draw of 100 reviews can come out 59/41, and a model that first learns the majority label
     * raises the (balanced) validation loss for epochs, so early stopping ends the run before it reads the text.
     *
     * @param labelOf the label (0 or 1) of a training review by its index
     */
    public static SubsetPlan balanced(int trainTotal, int validationSize, int subsetSize, long seed,
            IntUnaryOperator labelOf) {
        int pool = trainTotal - validationSize;
        if (validationSize < 1 || subsetSize < 2 || subsetSize > pool) {
            throw new IllegalArgumentException("cannot draw a balanced " + subsetSize + " training and "
                    + validationSize + " validation reviews from " + trainTotal);
        }
        int[][] byLabel = new int[2][pool];
        int[] counts = new int[2];
        for (int i = 0; i < pool; i++) {
            int label = labelOf.applyAsInt(i);
            if (label != 0 && label != 1) {
                throw new IllegalArgumentException("review " + i + " has label " + label + ", not 0 or 1");
            }
            byLabel[label][counts[label]++] = i;
        }
        int[] want = {subsetSize / 2, subsetSize - subsetSize / 2};
        for (int label = 0; label < 2; label++) {
            if (want[label] > counts[label]) {
                throw new IllegalArgumentException("cannot draw " + want[label] + " reviews of label " + label
                        + ": the pool has " + counts[label]);
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int label = 0; label < 2; label++) {
            // Each label's own stream, split off in a fixed order: its draw does not depend on the other label's.
            shuffleFront(byLabel[label], counts[label], want[label], random.split());
        }
        int[] rank = new int[pool];
        Arrays.fill(rank, -1);
        int next = 0;
        for (int i = 0; i < want[1]; i++) {     // want[1] >= want[0]: negative, positive, negative, ...
            if (i < want[0]) {
                rank[byLabel[0][i]] = next++;
            }
            rank[byLabel[1][i]] = next++;
        }
        return new SubsetPlan(trainTotal, validationSize, rank);
    }

    /**
     * Fisher-Yates from the front over {@code order[0..size)}: its first {@code k} become a uniform draw, and the
     * first k of a larger draw with the same random stream equal a smaller draw's k (nested subsets).
     */
    private static void shuffleFront(int[] order, int size, int k, SplittableRandom random) {
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(size - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    /** True when the training review with this index belongs to the run's training subset. */
    public boolean isTraining(int index) {
        return index >= 0 && index < rank.length && rank[index] >= 0;
    }

    /** True when the training review with this index is one of the held-out validation reviews. */
    public boolean isValidation(int index) {
        return index >= trainTotal - validationSize && index < trainTotal;
    }

    /** Draw position of a training-subset index (0 .. subsetSize-1), for a reproducible example order. */
    public int drawRank(int index) {
        return rank[index];
    }
}
