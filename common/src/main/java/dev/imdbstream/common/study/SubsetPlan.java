package dev.imdbstream.common.study;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Which training reviews one run uses, chosen by the reviews' {@code index} field (their position in the
 * ingestor's shuffled training split), so the same run sees the same reviews whatever the topic's
 * partitioning or offsets.
 * <ul>
 * <li>Validation: the last {@code validationSize} indexes of the training split, the same held-out
 *     reviews for every run (never the test set).</li>
 * <li>Training subset: {@code subsetSize} indexes drawn without replacement from the rest, by a
 *     permutation seeded with the run's seed; a larger subset of the same seed contains the smaller one.</li>
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
        SplittableRandom random = new SplittableRandom(seed);
        // Fisher-Yates from the front, so the first k of a larger draw equal a smaller draw's k.
        for (int i = 0; i < subsetSize; i++) {
            int j = i + random.nextInt(pool - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] rank = new int[pool];
        Arrays.fill(rank, -1);
        for (int i = 0; i < subsetSize; i++) {
            rank[order[i]] = i;
        }
        return new SubsetPlan(trainTotal, validationSize, rank);
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
