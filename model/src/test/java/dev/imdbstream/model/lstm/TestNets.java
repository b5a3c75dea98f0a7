package dev.imdbstream.model.lstm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/** Small networks and data shared by the tests: one seed, one shape, pre-padded masks. */
public final class TestNets {

    static final long SEED = 12345;

    private TestNets() {
    }

    /** A network made of the given layers, no updater, weights from {@link #SEED}. */
    static MultiLayerNetwork net(DataType type, Layer... layers) {
        NeuralNetConfiguration.ListBuilder list = list(type);
        for (Layer layer : layers) {
            list.layer(layer);
        }
        return init(list);
    }

    /** The configuration of {@link #net}, to add layers and preprocessors to. */
    static NeuralNetConfiguration.ListBuilder list(DataType type) {
        return new NeuralNetConfiguration.Builder()
                .seed(SEED)
                .dataType(type)
                .updater(new NoOp())
                .weightInit(WeightInit.XAVIER)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .list();
    }

    static MultiLayerNetwork init(NeuralNetConfiguration.ListBuilder list) {
        MultiLayerConfiguration conf = list.build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** {@code [batch, nIn, steps]} uniform in [-1, 1). */
    static INDArray input(DataType type, int batch, int nIn, int steps, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(type, batch, nIn, steps).muli(2).subi(1);
    }

    /**
     * A pre-padding mask {@code [batch, steps]}: example {@code i} has {@code lengths[i]} real steps at
     * the end. Lengths include a full sequence and, when there are enough examples, a one-step one.
     */
    static INDArray prePaddedMask(DataType type, int... lengths) {
        int steps = 0;
        for (int l : lengths) {
            steps = Math.max(steps, l);
        }
        INDArray mask = Nd4j.zeros(type, lengths.length, steps);
        for (int i = 0; i < lengths.length; i++) {
            for (int t = steps - lengths[i]; t < steps; t++) {
                mask.putScalar(i, t, 1.0);
            }
        }
        return mask;
    }

    static int[] randomLengths(int batch, int steps, long seed) {
        Random random = new Random(seed);
        int[] lengths = new int[batch];
        for (int i = 0; i < batch; i++) {
            lengths[i] = 1 + random.nextInt(steps);
        }
        lengths[0] = steps;
        if (batch > 1) {
            lengths[1] = 1;
        }
        return lengths;
    }

    /** Largest |a-b| / max(1, |a|, |b|) over all elements: relative for large values, absolute near 0. */
    public static double maxRelativeDifference(INDArray a, INDArray b) {
        assertThat(a.shape()).isEqualTo(b.shape());
        double[] x = a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] y = b.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            double scale = Math.max(1.0, Math.max(Math.abs(x[i]), Math.abs(y[i])));
            worst = Math.max(worst, Math.abs(x[i] - y[i]) / scale);
        }
        return worst;
    }
}
