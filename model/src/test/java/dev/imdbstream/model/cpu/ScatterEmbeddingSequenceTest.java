package dev.imdbstream.model.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@link ScatterEmbeddingSequence} gives DL4J's embedding gradient: repeated ids in a batch, pre-padding masked out,
 * the same network otherwise; and survives the configuration's JSON.
 */
class ScatterEmbeddingSequenceTest {

    private static final int VOCAB = 40;
    private static final int DIM = 6;
    private static final int LENGTH = 9;

    @ParameterizedTest(name = "masked {0}")
    @ValueSource(booleans = {false, true})
    void shouldComputeTheStockLayersWeightGradient(boolean masked) {
        EmbeddingSequenceLayer stock = new EmbeddingSequenceLayer.Builder().nIn(VOCAB).nOut(DIM).hasBias(false)
                .inferInputLength(true).build();
        MultiLayerNetwork reference = network(stock);
        MultiLayerNetwork scatter = network(ScatterEmbeddingSequence.of(stock));
        scatter.setParams(reference.params().dup());
        assertThat(scatter.getLayer(0)).isInstanceOf(ScatterEmbeddingSequenceLayer.class);

        SplittableRandom random = new SplittableRandom(3);
        int batch = 5;
        INDArray ids = Nd4j.create(DataType.FLOAT, batch, LENGTH);
        INDArray mask = Nd4j.ones(DataType.FLOAT, batch, LENGTH);
        for (int b = 0; b < batch; b++) {
            int padding = masked ? b : 0;
            for (int t = 0; t < LENGTH; t++) {
                // Few distinct ids: most rows of dW collect several steps.
                ids.putScalar(b, t, t < padding ? 0 : 1 + random.nextInt(7));
                mask.putScalar(b, t, t < padding ? 0 : 1);
            }
        }
        INDArray labels = Nd4j.create(new float[] {1, 0, 1, 1, 0}, new long[] {batch, 1});

        INDArray expected = gradient(reference, ids, masked ? mask : null, labels);
        INDArray actual = gradient(scatter, ids, masked ? mask : null, labels);

        assertThat(((ScatterEmbeddingSequenceLayer) scatter.getLayer(0)).scattered).as("own backward pass").isOne();
        assertThat(expected.sumNumber().doubleValue()).isNotZero();
        float[] e = expected.dup('c').data().asFloat();
        float[] a = actual.dup('c').data().asFloat();
        for (int i = 0; i < e.length; i++) {
            assertThat(a[i]).as("dW[%d]", i).isCloseTo(e[i], within(1e-7f));
        }
    }

    @Test
    void shouldSurviveTheConfigurationsJson() {
        EmbeddingSequenceLayer stock = new EmbeddingSequenceLayer.Builder().nIn(VOCAB).nOut(DIM).hasBias(false)
                .inferInputLength(true).build();
        MultiLayerConfiguration conf = configuration(ScatterEmbeddingSequence.of(stock));

        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());

        assertThat(back.getConf(0).getLayer()).isInstanceOf(ScatterEmbeddingSequence.class)
                .isEqualTo(conf.getConf(0).getLayer());
    }

    private static INDArray gradient(MultiLayerNetwork net, INDArray ids, INDArray mask, INDArray labels) {
        net.setInput(ids);
        net.setLabels(labels);
        net.setLayerMaskArrays(mask, null);
        net.computeGradientAndScore();
        INDArray dW = net.gradient().gradientForVariable().get("0_W").dup();
        net.clearLayerMaskArrays();
        return dW;
    }

    private static MultiLayerNetwork network(Layer embedding) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(embedding));
        net.init();
        return net;
    }

    private static MultiLayerConfiguration configuration(Layer embedding) {
        return new NeuralNetConfiguration.Builder()
                .seed(7)
                .dataType(DataType.FLOAT)
                .updater(new Sgd(0.1))
                .list()
                .layer(embedding)
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nIn(DIM).nOut(1)
                        .activation(Activation.SIGMOID).build())
                .build();
    }
}
