package dev.imdbstream.model.lstm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * JSON and checkpoint round trips, and moving trained parameters between {@link BiLstm} (default: the stock
 * mask handling) and the stock {@code Bidirectional(LSTM)}.
 */
class BiLstmSerializationTest {

    /** The two layers compared here; the model's pair (both masking) is tested in the model package. */
    private enum LstmImpl {
        STOCK, FAST;

        org.deeplearning4j.nn.conf.layers.Layer bidirectional(int nIn, int hidden) {
            BiLstm fast = new BiLstm.Builder().nIn(nIn).nOut(hidden).build();
            return this == FAST ? fast : fast.toStock();
        }
    }

    private static final int N_IN = 5;
    private static final int HIDDEN = 4;
    private static final int STEPS = 7;

    @TempDir
    Path dir;

    @Test
    void shouldRoundTripTheConfigurationThroughJson() {
        MultiLayerConfiguration conf = base().list()
                .layer(new BiLstm.Builder().nIn(N_IN).nOut(HIDDEN).forgetGateBiasInit(2.0).maskPaddedSteps(true).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(output())
                .build();

        MultiLayerConfiguration restored = MultiLayerConfiguration.fromJson(conf.toJson());

        assertThat(restored).isEqualTo(conf);
        assertThat(restored.getConf(0).getLayer()).isInstanceOf(BiLstm.class);
        BiLstm layer = (BiLstm) restored.getConf(0).getLayer();
        assertThat(layer.getNIn()).isEqualTo(N_IN);
        assertThat(layer.getNOut()).isEqualTo(HIDDEN);
        assertThat(layer.getForgetGateBiasInit()).isEqualTo(2.0);
        assertThat(layer.isMaskPaddedSteps()).isTrue();
        assertThat(layer.getIUpdater()).isEqualTo(new Adam(0.01));
    }

    @Test
    void shouldPredictTheSameAfterACheckpointRoundTrip() throws Exception {
        MultiLayerNetwork net = trained(LstmImpl.FAST);
        File file = dir.resolve("model.zip").toFile();

        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);

        assertThat(restored.getLayer(0)).isInstanceOf(BiLstmLayer.class);
        assertThat(TestNets.maxRelativeDifference(restored.output(input(), false, mask(), null),
                net.output(input(), false, mask(), null))).isZero();
        assertThat(TestNets.maxRelativeDifference(restored.getUpdater().getStateViewArray(),
                net.getUpdater().getStateViewArray())).isZero();
    }

    @Test
    void shouldPredictTheSameWithEitherImplementationFromTheSameParameters() {
        MultiLayerNetwork trainedStock = trained(LstmImpl.STOCK);
        MultiLayerNetwork fast = classifier(LstmImpl.FAST);
        fast.setParams(trainedStock.params());
        assertThat(TestNets.maxRelativeDifference(fast.output(input(), false, mask(), null),
                trainedStock.output(input(), false, mask(), null))).isLessThan(1e-5);

        MultiLayerNetwork trainedFast = trained(LstmImpl.FAST);
        MultiLayerNetwork stock = classifier(LstmImpl.STOCK);
        stock.setParams(trainedFast.params());
        assertThat(TestNets.maxRelativeDifference(stock.output(input(), false, mask(), null),
                trainedFast.output(input(), false, mask(), null))).isLessThan(1e-5);
    }

    @Test
    void shouldPredictAndTrainInAComputationGraphLikeTheStockLayer() {
        ComputationGraph stock = graph(LstmImpl.STOCK);
        ComputationGraph fast = graph(LstmImpl.FAST);
        assertThat(TestNets.maxRelativeDifference(fast.params(), stock.params())).isZero();

        INDArray[] in = {input()};
        INDArray[] masks = {mask()};
        INDArray expected = stock.output(false, in, masks)[0];
        INDArray actual = fast.output(false, in, masks)[0];

        assertThat(TestNets.maxRelativeDifference(actual, expected)).isLessThan(1e-5);
        for (int i = 0; i < 3; i++) {
            MultiDataSet batch = new MultiDataSet(in, new INDArray[] {labels()}, masks, null);
            stock.fit(batch);
            fast.fit(batch);
        }
        assertThat(TestNets.maxRelativeDifference(fast.params(), stock.params())).isLessThan(1e-5);
    }

    private static MultiLayerNetwork trained(LstmImpl impl) {
        MultiLayerNetwork net = classifier(impl);
        for (int i = 0; i < 3; i++) {
            net.fit(input(), labels(), mask(), null);
        }
        return net;
    }

    private static MultiLayerNetwork classifier(LstmImpl impl) {
        MultiLayerNetwork net = new MultiLayerNetwork(base()
                .list()
                .layer(impl.bidirectional(N_IN, HIDDEN))
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(output())
                .build());
        net.init();
        return net;
    }

    private static ComputationGraph graph(LstmImpl impl) {
        ComputationGraphConfiguration conf = base()
                .graphBuilder()
                .addInputs("tokens")
                .setInputTypes(InputType.recurrent(N_IN, STEPS))
                .addLayer("lstm", impl.bidirectional(N_IN, HIDDEN), "tokens")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "lstm")
                .addLayer("out", output(), "pool")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    private static NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder()
                .seed(TestNets.SEED)
                .dataType(DataType.FLOAT)
                .updater(new Adam(0.01))
                .weightInit(WeightInit.XAVIER);
    }

    private static OutputLayer output() {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(2 * HIDDEN).nOut(2)
                .activation(Activation.SOFTMAX).build();
    }

    private static INDArray input() {
        return TestNets.input(DataType.FLOAT, 4, N_IN, STEPS, 17);
    }

    private static INDArray mask() {
        return TestNets.prePaddedMask(DataType.FLOAT, STEPS, 1, 4, 6);
    }

    private static INDArray labels() {
        return Nd4j.createFromArray(new float[][] {{1, 0}, {0, 1}, {1, 0}, {0, 1}});
    }
}
