package dev.imdbstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Padding (id 0, first) must not change a review's probability: the features mask removes it everywhere. */
class MaskingTest {

    private static final int[] REVIEW = {1, 14, 22, 16, 43, 530, 973, 1622, 1385, 65, 458, 4468, 66, 3941, 4, 173,
            36, 256, 5, 25, 100, 43, 838, 112, 50, 670, 2, 9, 35, 480, 284, 5, 150, 4, 172, 112, 167};

    @Test
    void shouldGiveTheSameProbabilityWhateverThePaddingOfTheNotebookModel() {
        MultiLayerNetwork net = SentimentNetwork.build(NetworkConfig.notebook(EmbeddingVariant.RANDOM), 42, null);
        trainOneStep(net, 150);
        TestData.perturb(net, 0.3, 8);

        double at150 = Inference.predict(net, new int[][] {prePad(REVIEW, 150)}, 0)[0];
        double at200 = Inference.predict(net, new int[][] {prePad(REVIEW, 200)}, 0)[0];
        double unpadded = Inference.predict(net, new int[][] {REVIEW}, 0)[0];

        assertThat(at200).isCloseTo(at150, within(1e-5));
        assertThat(unpadded).isCloseTo(at150, within(1e-5));
    }

    @Test
    void shouldGiveTheSameProbabilityInABatchOfDifferentlyPaddedCopies() {
        NetworkConfig config = TestData.tiny(EmbeddingVariant.RANDOM);
        MultiLayerNetwork net = SentimentNetwork.build(config, 5, null);
        TestData.perturb(net, 0.5, 5);
        int[] review = Arrays.copyOf(TestData.randomSequences(1, 20, config.vocabSize(), 9, 0)[0], 20);
        int[][] batch = new int[4][];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = prePad(review, 20 + 7 * i);
        }

        double[] p = new double[batch.length];
        for (int i = 0; i < batch.length; i++) {
            p[i] = Inference.predict(net, new int[][] {batch[i]}, 0)[0];
        }

        for (double v : p) {
            assertThat(v).isCloseTo(p[0], within(1e-6));
        }
    }

    /**
     * Training does not depend on padding either: one step on a batch padded to 20 or to 50 steps leaves the same
     * parameters (BatchNorm's batch statistics come from the real steps only). Without dropout, whose random draws
     * depend on the batch's shape.
     */
    @Test
    void shouldLearnTheSameWhateverThePaddingOfTheBatch() {
        NetworkConfig t = TestData.tiny(EmbeddingVariant.RANDOM);
        NetworkConfig config = new NetworkConfig(t.vocabSize(), t.embeddingDim(), t.lstmUnits(), t.denseUnits(), 0, 0,
                t.bnMomentum(), t.bnEpsilon(), 1e-2, t.weightDecay(), t.adamEpsilon(), t.variant(),
                t.trainableEmbeddings(), t.lstmImpl());
        int[][] reviews = TestData.randomSequences(6, 20, config.vocabSize(), 11, 3);
        int[] labels = {0, 1, 1, 0, 1, 0};
        double[][] params = new double[2][];
        int[] lengths = {20, 50};
        for (int i = 0; i < lengths.length; i++) {
            MultiLayerNetwork net = SentimentNetwork.build(config, 5, null);
            int[][] padded = new int[reviews.length][];
            for (int r = 0; r < reviews.length; r++) {
                padded[r] = prePad(reviews[r], lengths[i]);
            }
            for (int step = 0; step < 3; step++) {
                Training.fit(net, Batches.dataSet(padded, labels, 0));
            }
            params[i] = net.params().toDoubleVector();
        }

        double maxDifference = 0;
        for (int k = 0; k < params[0].length; k++) {
            maxDifference = Math.max(maxDifference, Math.abs(params[0][k] - params[1][k]));
        }
        assertThat(maxDifference).isLessThan(1e-5);
    }

    /** Guards the test above: without the mask, the random embedding of id 0 does change the output. */
    @Test
    void shouldDependOnPaddingWithoutTheMask() {
        MultiLayerNetwork net = SentimentNetwork.build(NetworkConfig.notebook(EmbeddingVariant.RANDOM), 42, null);

        double at150 = unmasked(net, prePad(REVIEW, 150));
        double at200 = unmasked(net, prePad(REVIEW, 200));

        assertThat(Math.abs(at150 - at200)).isGreaterThan(1e-5);
    }

    @Test
    void shouldKeepLstmStateAtZeroThroughLeadingPadding() {
        MultiLayerNetwork net = SentimentNetwork.build(NetworkConfig.notebook(EmbeddingVariant.RANDOM), 3, null);
        TestData.perturb(net, 0.3, 3);
        int[] padded = prePad(REVIEW, 60);
        Batches.Batch batch = Batches.features(new int[][] {padded}, 0);
        Batches.Batch bare = Batches.features(new int[][] {REVIEW}, 0);

        INDArray lstmPadded = lstmOutput(net, batch);
        INDArray lstmBare = lstmOutput(net, bare);

        int offset = padded.length - REVIEW.length;
        for (int t = 0; t < REVIEW.length; t++) {
            for (int f = 0; f < lstmBare.size(1); f++) {
                assertThat(lstmPadded.getDouble(0, f, t + offset)).isCloseTo(lstmBare.getDouble(0, f, t), within(1e-6));
            }
        }
        for (int t = 0; t < offset; t++) {
            assertThat(lstmPadded.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                    org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(t))
                    .amaxNumber().doubleValue()).isZero();
        }
    }

    private static INDArray lstmOutput(MultiLayerNetwork net, Batches.Batch batch) {
        return net.feedForward(batch.features(), batch.mask(), null).get(SentimentNetwork.BILSTM + 1).dup();
    }

    private static double unmasked(MultiLayerNetwork net, int[] tokens) {
        return net.output(Batches.features(new int[][] {tokens}, 0).features(), false).getDouble(0, 0);
    }

    private static void trainOneStep(MultiLayerNetwork net, int length) {
        int[][] tokens = TestData.randomSequences(8, length, 10_000, 17, 100);
        int[] labels = {0, 1, 0, 1, 1, 0, 1, 0};
        Training.fit(net, Batches.dataSet(tokens, labels, 0));
    }

    static int[] prePad(int[] ids, int length) {
        int[] out = new int[length];
        System.arraycopy(ids, 0, out, length - ids.length, ids.length);
        return out;
    }
}
