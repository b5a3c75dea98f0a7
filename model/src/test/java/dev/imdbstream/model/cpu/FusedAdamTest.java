package dev.imdbstream.model.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** {@link FusedAdam} against ND4J's {@link Adam}: the same updates and state, step after step, on DL4J-like views. */
class FusedAdamTest {

    private static final int N = 10_007; // not a multiple of the chunk or of a vector

    @Test
    void shouldStepAsNd4jsAdamOverManyIterations() {
        Adam reference = new Adam(1e-3, 0.9, 0.999, 1e-7);
        FusedAdam fused = new FusedAdam(1e-3, 0.9, 0.999, 1e-7);
        // Both state arrays are views into larger buffers, as an updater block's state is a view of the network's.
        INDArray refState = Nd4j.zeros(DataType.FLOAT, 1, 2L * N + 30).get(NDArrayIndex.point(0),
                NDArrayIndex.interval(30, 30 + 2L * N));
        INDArray fusedState = Nd4j.zeros(DataType.FLOAT, 1, 2L * N + 30).get(NDArrayIndex.point(0),
                NDArrayIndex.interval(30, 30 + 2L * N));
        GradientUpdater<?> a = reference.instantiate(refState, true);
        FusedAdam.Updater b = (FusedAdam.Updater) fused.instantiate(fusedState, true);
        Nd4j.getRandom().setSeed(5);
        INDArray gradients = Nd4j.zeros(DataType.FLOAT, 1, N + 13);
        for (int iteration = 0; iteration < 12; iteration++) {
            // Gradients of every size, some zero (embedding rows a batch does not touch).
            INDArray g = Nd4j.randn(DataType.FLOAT, N).muli(Math.pow(10, (iteration % 5) - 3));
            g.get(NDArrayIndex.interval(0, 500)).assign(0);
            gradients.get(NDArrayIndex.point(0), NDArrayIndex.interval(13, 13 + N)).assign(g);
            INDArray forReference = g.dup();
            INDArray forFused = gradients.get(NDArrayIndex.point(0), NDArrayIndex.interval(13, 13 + N));

            a.applyUpdater(forReference, iteration, 0);
            assertThat(b.applyFused(forFused, iteration, 0)).as("fused path taken").isTrue();

            assertClose(forFused, forReference, "update at iteration " + iteration);
            assertClose(fusedState, refState, "state M, V at iteration " + iteration);
        }
    }

    @Test
    void shouldLeaveDoublesToNd4j() {
        FusedAdam fused = new FusedAdam(1e-3, 0.9, 0.999, 1e-7);
        FusedAdam.Updater u = (FusedAdam.Updater) fused.instantiate(Nd4j.zeros(DataType.DOUBLE, 1, 20), true);
        INDArray g = Nd4j.ones(DataType.DOUBLE, 10);

        assertThat(u.applyFused(g, 0, 0)).isFalse();
        u.applyUpdater(g, 0, 0);
        // ND4J's first step from zero moments: lr * sign(g), less epsilon's share (1e-7 against sqrt(v) = 0.03).
        assertThat(g.getDouble(3)).isCloseTo(1e-3, within(1e-8));
    }

    @Test
    void shouldSurviveTheConfigurationsJsonAsItself() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .updater(new FusedAdam(2e-3, 0.8, 0.99, 1e-6))
                .list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(4).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nIn(4).nOut(1)
                        .activation(Activation.SIGMOID).build())
                .build();

        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());

        assertThat(back.getConf(0).getLayer().getUpdaterByParam("W")).isInstanceOf(FusedAdam.class)
                .isEqualTo(new FusedAdam(2e-3, 0.8, 0.99, 1e-6))
                .isNotEqualTo(new Adam(2e-3, 0.8, 0.99, 1e-6));
        assertThat(back).isEqualTo(conf);
    }

    private static void assertClose(INDArray actual, INDArray expected, String what) {
        float[] x = actual.dup().data().asFloat();
        float[] y = expected.dup().data().asFloat();
        assertThat(x).hasSameSizeAs(y);
        for (int i = 0; i < x.length; i++) {
            assertThat((double) x[i]).as("%s [%d]", what, i).isCloseTo(y[i], within(1e-6 * Math.abs(y[i]) + 1e-12));
        }
    }
}
