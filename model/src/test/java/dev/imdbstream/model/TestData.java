package dev.imdbstream.model;

import java.util.SplittableRandom;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import dev.imdbstream.common.schema.EmbeddingMatrix;

/** Small synthetic inputs with fixed seeds. */
final class TestData {

    private TestData() {
    }

    /** The notebook's architecture with small dimensions: fast enough for unit tests. */
    static NetworkConfig tiny(EmbeddingVariant variant) {
        return NetworkConfig.notebook(variant).withDimensions(50, 8, 6, 5);
    }

    static EmbeddingMatrix embeddingMatrix(int rows, int dim, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[rows * dim];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextDouble() - 0.5);
        }
        return EmbeddingMatrix.of("test", "test-vectors", rows, dim, rows, seed, "synthetic", values);
    }

    /**
     * Pre-padded sequences: each has a random number of leading padding ids (0), then a start id (1), then random
     * word ids in [3, vocab).
     */
    static int[][] randomSequences(int n, int length, int vocab, long seed, int maxPadding) {
        SplittableRandom random = new SplittableRandom(seed);
        int[][] out = new int[n][length];
        for (int i = 0; i < n; i++) {
            int padding = random.nextInt(maxPadding + 1);
            out[i][padding] = 1;
            for (int t = padding + 1; t < length; t++) {
                out[i][t] = 3 + random.nextInt(vocab - 3);
            }
        }
        return out;
    }

    /**
     * Adds uniform(-scale, scale) noise to every parameter except BatchNormalization's, so that biases are nonzero as
     * in a trained network (an untrained LSTM with zero biases keeps a zero state on zero input, hiding masking bugs).
     */
    static void perturb(MultiLayerNetwork net, double scale, long seed) {
        Nd4j.getRandom().setSeed(seed);
        for (int i = 0; i < net.getnLayers(); i++) {
            if (i == SentimentNetwork.BATCH_NORM) {
                continue;
            }
            for (INDArray p : net.getLayer(i).paramTable().values()) {
                p.addi(Nd4j.rand(p.dataType(), p.shape()).subi(0.5).muli(2 * scale));
            }
        }
    }
}
