package dev.imdbstream.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The network learns a separable token task: label 1 iff the review contains word 5 (label 0: word 6). */
class SyntheticTrainingTest {

    private static final int VOCAB = 50;
    private static final int LENGTH = 10;

    @ParameterizedTest
    @EnumSource(LstmImpl.class)
    void shouldReduceTheLossOnASeparableTask(LstmImpl impl) {
        int[][] tokens = new int[64][];
        int[] labels = new int[tokens.length];
        makeTask(tokens, labels, 12);
        NetworkConfig config = TestData.tiny(EmbeddingVariant.RANDOM).withOptimizer(0.02, 0.004).withLstmImpl(impl);
        MultiLayerNetwork net = SentimentNetwork.build(config, 3, null);

        Inference.Evaluation before = Inference.evaluate(net, tokens, labels, 0);
        double firstEpoch = 0;
        double lastEpoch = 0;
        for (int epoch = 0; epoch < 10; epoch++) {
            double sum = 0;
            for (int from = 0; from < tokens.length; from += 16) {
                sum += Training.fit(net, Batches.dataSet(tokens, labels, from, from + 16, 0));
            }
            lastEpoch = sum / (tokens.length / 16);
            if (epoch == 0) {
                firstEpoch = lastEpoch;
            }
        }
        Inference.Evaluation after = Inference.evaluate(net, tokens, labels, 0);

        assertThat(before.loss()).isGreaterThan(0.6);
        assertThat(after.loss()).isLessThan(before.loss() / 2);
        assertThat(after.accuracy()).isGreaterThanOrEqualTo(0.95);
        assertThat(lastEpoch).isLessThan(firstEpoch);
    }

    /** Pre-padded sequences of random words from 7..49 with the label's word at a random position. */
    private static void makeTask(int[][] tokens, int[] labels, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < tokens.length; i++) {
            labels[i] = i % 2;
            int padding = random.nextInt(LENGTH / 2);
            int[] row = new int[LENGTH];
            row[padding] = 1;
            for (int t = padding + 1; t < LENGTH; t++) {
                row[t] = 7 + random.nextInt(VOCAB - 7);
            }
            row[padding + 1 + random.nextInt(LENGTH - padding - 1)] = labels[i] == 1 ? 5 : 6;
            tokens[i] = row;
        }
    }
}
