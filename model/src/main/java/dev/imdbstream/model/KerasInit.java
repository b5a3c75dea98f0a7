package dev.imdbstream.model;

import java.util.Map;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Re-initialises the BiLSTM's kernels as Keras' {@code LSTM} does, where DL4J's initialisers differ: the input kernel
 * {@code [nIn, 4H]} Glorot-uniform with Keras' fans ({@code nIn} and {@code 4H}; DL4J uses {@code H} and
 * {@code nIn + H}), and the recurrent kernel {@code [H, 4H]} orthogonal (orthonormal rows; DL4J has no orthogonal
 * initialiser). Biases stay as DL4J sets them, which is Keras' layout: zeros, forget gate 1.
 */
final class KerasInit {

    static final String[] DIRECTIONS = {"f", "b"};

    private KerasInit() {
    }

    static void lstmKernels(MultiLayerNetwork net, long seed) {
        Map<String, INDArray> params = net.getLayer(SentimentNetwork.BILSTM).paramTable();
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        for (String direction : DIRECTIONS) {
            INDArray input = param(params, direction + "W");
            INDArray recurrent = param(params, direction + "RW");
            long nIn = input.size(0);
            long gates = input.size(1);
            double limit = Math.sqrt(6.0 / (nIn + gates));
            float[] w = new float[(int) (nIn * gates)];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) ((2 * random.nextDouble() - 1) * limit);
            }
            input.assign(Nd4j.create(w, new long[] {nIn, gates}, 'c'));
            recurrent.assign(Nd4j.create(orthonormalRows((int) recurrent.size(0), (int) recurrent.size(1), random),
                    recurrent.shape(), 'c'));
        }
    }

    private static INDArray param(Map<String, INDArray> params, String key) {
        INDArray p = params.get(key);
        if (p == null) {
            throw new IllegalStateException("BiLSTM parameter '" + key + "' missing: every LstmImpl must keep the"
                    + " layout of DL4J's Bidirectional(LSTM), found " + params.keySet());
        }
        return p;
    }

    /**
     * A {@code rows x cols} matrix ({@code rows <= cols}) with orthonormal rows, row-major: Keras' {@code Orthogonal}
     * (QR of a Gaussian {@code cols x rows} matrix, signs fixed so that R has a positive diagonal, transposed), here
     * by modified Gram-Schmidt, which yields that same Q.
     */
    static float[] orthonormalRows(int rows, int cols, SplittableRandom random) {
        if (rows > cols) {
            throw new IllegalArgumentException("rows " + rows + " > cols " + cols);
        }
        double[][] q = new double[rows][cols];
        for (double[] v : q) {
            for (int j = 0; j < cols; j++) {
                v[j] = random.nextGaussian();
            }
        }
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < i; k++) {
                double dot = 0;
                for (int j = 0; j < cols; j++) {
                    dot += q[i][j] * q[k][j];
                }
                for (int j = 0; j < cols; j++) {
                    q[i][j] -= dot * q[k][j];
                }
            }
            double norm = 0;
            for (int j = 0; j < cols; j++) {
                norm += q[i][j] * q[i][j];
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < cols; j++) {
                q[i][j] /= norm;
            }
        }
        float[] out = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[i * cols + j] = (float) q[i][j];
            }
        }
        return out;
    }
}
