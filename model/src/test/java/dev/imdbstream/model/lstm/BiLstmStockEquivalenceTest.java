package dev.imdbstream.model.lstm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import dev.imdbstream.model.cpu.BlasKernelCondition;

/**
 * {@link BiLstm} against the stock {@code Bidirectional(CONCAT, LSTM)} it replaces: same initial
 * parameters from the same seed, same outputs and same gradients from the same parameters, and the
 * same training trajectory inside a network.
 */
@Tag(BlasKernelCondition.TAG)
class BiLstmStockEquivalenceTest {

    private static final int N_IN = 7;
    private static final int HIDDEN = 6;
    private static final int BATCH = 5;
    private static final int STEPS = 9;

    static org.deeplearning4j.nn.conf.layers.Layer stock() {
        return new Bidirectional(Bidirectional.Mode.CONCAT, new LSTM.Builder().nIn(N_IN).nOut(HIDDEN)
                .activation(Activation.TANH).gateActivationFunction(Activation.SIGMOID).build());
    }

    static org.deeplearning4j.nn.conf.layers.Layer fast() {
        return new BiLstm.Builder().nIn(N_IN).nOut(HIDDEN).build();
    }

    @Test
    void shouldInitialiseTheSameParametersUnderTheSameKeysAsTheStockLayer() {
        MultiLayerNetwork stock = TestNets.net(DataType.FLOAT, stock());
        MultiLayerNetwork fast = TestNets.net(DataType.FLOAT, fast());

        assertThat(fast.numParams()).isEqualTo(stock.numParams());
        assertThat(TestNets.maxRelativeDifference(fast.params(), stock.params())).isZero();
        Map<String, INDArray> stockTable = stock.getLayer(0).paramTable();
        Map<String, INDArray> fastTable = fast.getLayer(0).paramTable();
        assertThat(fastTable.keySet()).containsExactlyElementsOf(stockTable.keySet());
        stockTable.forEach((key, value) -> {
            assertThat(fastTable.get(key).shape()).as(key).isEqualTo(value.shape());
            assertThat(TestNets.maxRelativeDifference(fastTable.get(key), value)).as(key).isZero();
        });
        assertThat(fast.getLayerWiseConfigurations().getConf(0).getVariables())
                .isEqualTo(stock.getLayerWiseConfigurations().getConf(0).getVariables());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"DOUBLE, 1e-12", "FLOAT, 2e-5"})
    void shouldComputeTheStockOutputsAndGradientsWithoutAMask(DataType type, double tolerance) {
        Pair<Layer, Layer> layers = layersWithSameParameters(type);
        Layer stock = layers.getFirst();
        Layer fast = layers.getSecond();
        INDArray input = TestNets.input(type, BATCH, N_IN, STEPS, 3);

        INDArray stockOut = stock.activate(input.dup(), true, LayerWorkspaceMgr.noWorkspaces());
        INDArray fastOut = fast.activate(input.dup(), true, LayerWorkspaceMgr.noWorkspaces());
        assertThat(TestNets.maxRelativeDifference(fastOut, stockOut)).isLessThan(tolerance);

        INDArray epsilon = TestNets.input(type, BATCH, 2 * HIDDEN, STEPS, 11);
        Pair<Gradient, INDArray> stockGrad = stock.backpropGradient(epsilon.dup(), LayerWorkspaceMgr.noWorkspaces());
        Pair<Gradient, INDArray> fastGrad = fast.backpropGradient(epsilon.dup(), LayerWorkspaceMgr.noWorkspaces());

        assertThat(TestNets.maxRelativeDifference(fastGrad.getSecond(), stockGrad.getSecond())).isLessThan(tolerance);
        Map<String, INDArray> expected = stockGrad.getFirst().gradientForVariable();
        Map<String, INDArray> actual = fastGrad.getFirst().gradientForVariable();
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((key, value) ->
                assertThat(TestNets.maxRelativeDifference(actual.get(key), value)).as(key).isLessThan(tolerance));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"DOUBLE, 1e-12", "FLOAT, 2e-5"})
    void shouldComputeTheStockOutputsWithAPrePaddingMask(DataType type, double tolerance) {
        Pair<Layer, Layer> layers = layersWithSameParameters(type);
        INDArray input = TestNets.input(type, BATCH, N_IN, STEPS, 3);
        INDArray mask = TestNets.prePaddedMask(type, TestNets.randomLengths(BATCH, STEPS, 5));
        layers.getFirst().setMaskArray(mask);
        layers.getSecond().setMaskArray(mask);

        INDArray stockOut = layers.getFirst().activate(input.dup(), false, LayerWorkspaceMgr.noWorkspaces());
        INDArray fastOut = layers.getSecond().activate(input.dup(), false, LayerWorkspaceMgr.noWorkspaces());

        assertThat(TestNets.maxRelativeDifference(fastOut, stockOut)).isLessThan(tolerance);
    }

    /**
     * With pre-padding, the masked layer is the stock layer run on each sequence without its padding:
     * same outputs, summed parameter gradients, input gradients, and zero input gradient on padding
     * whatever the gradient arriving there. (The stock layer's own masked backward pass differs from this
     * at padded steps of the forward direction, where it is not the derivative of its forward pass.)
     */
    @ParameterizedTest(name = "{0}, lengths {2}")
    @CsvSource({"DOUBLE, 1e-12, 9 1 4 6 2", "FLOAT, 2e-5, 9 1 4 6 2", "DOUBLE, 1e-12, 5 1 3 2 5", "FLOAT, 2e-5, 5 1 3 2 5"})
    void shouldGiveWithAMaskTheStockResultsOfTheSequencesWithoutPadding(DataType type, double tolerance,
            String lengthList) {
        Pair<Layer, Layer> layers = layersWithSameParameters(type);
        Layer stock = layers.getFirst();
        Layer fast = layers.getSecond();
        INDArray input = TestNets.input(type, BATCH, N_IN, STEPS, 3);
        int[] lengths = java.util.Arrays.stream(lengthList.split(" ")).mapToInt(Integer::parseInt).toArray();
        INDArray epsilon = TestNets.input(type, BATCH, 2 * HIDDEN, STEPS, 11);

        INDArray mask = Nd4j.zeros(type, BATCH, STEPS);
        for (int i = 0; i < BATCH; i++) {
            mask.get(NDArrayIndex.point(i), NDArrayIndex.interval(STEPS - lengths[i], STEPS)).assign(1);
        }
        fast.setMaskArray(mask);
        INDArray fastOut = fast.activate(input.dup(), true, LayerWorkspaceMgr.noWorkspaces());
        Pair<Gradient, INDArray> fastGrad = fast.backpropGradient(epsilon.dup(), LayerWorkspaceMgr.noWorkspaces());

        INDArray expectedOut = Nd4j.zeros(type, BATCH, 2 * HIDDEN, STEPS);
        INDArray expectedEpsOut = Nd4j.zeros(type, BATCH, N_IN, STEPS);
        Map<String, INDArray> expectedGrads = new java.util.LinkedHashMap<>();
        for (int i = 0; i < BATCH; i++) {
            INDArrayIndex[] real = {NDArrayIndex.interval(i, i + 1), NDArrayIndex.all(),
                    NDArrayIndex.interval(STEPS - lengths[i], STEPS)};
            expectedOut.put(real, stock.activate(input.get(real).dup(), true, LayerWorkspaceMgr.noWorkspaces()));
            Pair<Gradient, INDArray> g = stock.backpropGradient(epsilon.get(real).dup(), LayerWorkspaceMgr.noWorkspaces());
            expectedEpsOut.put(real, g.getSecond());
            g.getFirst().gradientForVariable().forEach((key, value) ->
                    expectedGrads.merge(key, value.dup(), INDArray::addi));
        }

        assertThat(TestNets.maxRelativeDifference(fastOut, expectedOut)).isLessThan(tolerance);
        assertThat(TestNets.maxRelativeDifference(fastGrad.getSecond(), expectedEpsOut)).isLessThan(tolerance);
        Map<String, INDArray> actual = fastGrad.getFirst().gradientForVariable();
        assertThat(actual.keySet()).containsExactlyElementsOf(expectedGrads.keySet());
        expectedGrads.forEach((key, value) ->
                assertThat(TestNets.maxRelativeDifference(actual.get(key), value)).as(key).isLessThan(tolerance));
    }

    @Test
    void shouldProcessEachSequenceWithoutItsPaddingWhenAskedToMaskPaddedSteps() {
        MultiLayerNetwork net = TestNets.net(DataType.DOUBLE,
                new BiLstm.Builder().nIn(N_IN).nOut(HIDDEN).maskPaddedSteps(true).build());
        INDArray input = TestNets.input(DataType.DOUBLE, BATCH, N_IN, STEPS, 3);
        int[] lengths = TestNets.randomLengths(BATCH, STEPS, 5);

        INDArray out = net.output(input, false, TestNets.prePaddedMask(DataType.DOUBLE, lengths), null);

        for (int i = 0; i < BATCH; i++) {
            INDArrayIndex[] real = {NDArrayIndex.interval(i, i + 1), NDArrayIndex.all(),
                    NDArrayIndex.interval(STEPS - lengths[i], STEPS)};
            INDArrayIndex[] padding = {NDArrayIndex.point(i), NDArrayIndex.all(),
                    NDArrayIndex.interval(0, STEPS - lengths[i])};
            INDArray alone = net.output(input.get(real).dup());
            assertThat(TestNets.maxRelativeDifference(out.get(real), alone)).isLessThan(1e-12);
            if (lengths[i] < STEPS) {
                assertThat(out.get(padding).amaxNumber().doubleValue()).isZero();
            }
        }
    }

    @Test
    void shouldComputeTheStockOutputsAndGradientsInTheNwcFormat() {
        MultiLayerNetwork stockNet = TestNets.net(DataType.DOUBLE, new Bidirectional(Bidirectional.Mode.CONCAT,
                new LSTM.Builder().nIn(N_IN).nOut(HIDDEN).activation(Activation.TANH)
                        .gateActivationFunction(Activation.SIGMOID).dataFormat(RNNFormat.NWC).build()));
        MultiLayerNetwork fastNet = TestNets.net(DataType.DOUBLE,
                new BiLstm.Builder().nIn(N_IN).nOut(HIDDEN).dataFormat(RNNFormat.NWC).build());
        fastNet.setParams(stockNet.params());
        stockNet.initGradientsView();
        fastNet.initGradientsView();
        INDArray input = TestNets.input(DataType.DOUBLE, BATCH, STEPS, N_IN, 3);
        INDArray epsilon = TestNets.input(DataType.DOUBLE, BATCH, STEPS, 2 * HIDDEN, 11);

        INDArray stockOut = stockNet.getLayer(0).activate(input.dup(), true, LayerWorkspaceMgr.noWorkspaces());
        INDArray fastOut = fastNet.getLayer(0).activate(input.dup(), true, LayerWorkspaceMgr.noWorkspaces());
        INDArray stockEps = stockNet.getLayer(0).backpropGradient(epsilon.dup(), LayerWorkspaceMgr.noWorkspaces()).getSecond();
        INDArray fastEps = fastNet.getLayer(0).backpropGradient(epsilon.dup(), LayerWorkspaceMgr.noWorkspaces()).getSecond();

        assertThat(fastOut.shape()).containsExactly(BATCH, STEPS, 2 * HIDDEN);
        assertThat(TestNets.maxRelativeDifference(fastOut, stockOut)).isLessThan(1e-12);
        assertThat(TestNets.maxRelativeDifference(fastEps, stockEps)).isLessThan(1e-12);
        assertThat(TestNets.maxRelativeDifference(fastNet.getGradientsViewArray(), stockNet.getGradientsViewArray()))
                .isLessThan(1e-12);
    }

    /** One stock and one fast layer, each alone in a network, holding the same random parameters. */
    private static Pair<Layer, Layer> layersWithSameParameters(DataType type) {
        MultiLayerNetwork stockNet = TestNets.net(type, stock());
        MultiLayerNetwork fastNet = TestNets.net(type, fast());
        Nd4j.getRandom().setSeed(7);
        stockNet.setParams(Nd4j.rand(type, 1, stockNet.numParams()).subi(0.5));
        fastNet.setParams(stockNet.params());
        stockNet.initGradientsView();
        fastNet.initGradientsView();
        return new Pair<>(stockNet.getLayer(0), fastNet.getLayer(0));
    }

    /** Inference computes the input projections in blocks of steps; any block size gives the same result. */
    @ParameterizedTest(name = "block of {0} rows")
    @CsvSource({"4096", "10", "1"})
    void shouldGiveTheSameOutputsInInferenceAsInTraining(int blockRows) {
        MultiLayerNetwork net = TestNets.net(DataType.DOUBLE,
                new BiLstm.Builder().nIn(N_IN).nOut(HIDDEN).maskPaddedSteps(true).build());
        INDArray input = TestNets.input(DataType.DOUBLE, BATCH, N_IN, STEPS, 3);
        INDArray mask = TestNets.prePaddedMask(DataType.DOUBLE, TestNets.randomLengths(BATCH, STEPS, 5));
        int previous = BiLstmKernel.inferenceBlockRows;
        try {
            BiLstmKernel.inferenceBlockRows = blockRows;
            INDArray inference = net.output(input, false, mask, null);
            INDArray training = net.output(input, true, mask, null);
            INDArray unmasked = net.output(input, false);
            INDArray unmaskedTraining = net.output(input, true);
            assertThat(TestNets.maxRelativeDifference(inference, training)).isLessThan(1e-14);
            assertThat(TestNets.maxRelativeDifference(unmasked, unmaskedTraining)).isLessThan(1e-14);
        } finally {
            BiLstmKernel.inferenceBlockRows = previous;
        }
    }

    /**
     * Inference reads the weights where DL4J keeps them and, for more than one example, computes the recurrent products
     * with {@code RowsGemm} (blocks of four, two and one rows) up to {@link BiLstmKernel#rowsGemmMax} examples, BLAS at
     * one and above; training copies the weights and uses GEMM. Same outputs at batch sizes that take each of those
     * paths, with a mask and without.
     */
    @ParameterizedTest(name = "batch {0}")
    @CsvSource({"1", "2", "3", "4", "5", "9", "16", "17", "33"})
    void shouldGiveTheSameFloatOutputsInInferenceAsInTrainingAtAnyBatchSize(int batch) {
        MultiLayerNetwork net = TestNets.net(DataType.FLOAT,
                new BiLstm.Builder().nIn(N_IN).nOut(HIDDEN).maskPaddedSteps(true).build());
        INDArray input = TestNets.input(DataType.FLOAT, batch, N_IN, STEPS, 3);
        INDArray mask = TestNets.prePaddedMask(DataType.FLOAT, TestNets.randomLengths(batch, STEPS, 5));
        assertThat(TestNets.maxRelativeDifference(net.output(input, false, mask, null), net.output(input, true, mask, null)))
                .isLessThan(1e-5);
        assertThat(TestNets.maxRelativeDifference(net.output(input, false), net.output(input, true))).isLessThan(1e-5);
    }

    /** Inside a network the stock layer passes the features mask on without applying it; so does ours by default. */
    @ParameterizedTest(name = "mask={0}")
    @CsvSource({"false", "true"})
    void shouldTrainLikeTheStockLayerInsideANetwork(boolean masked) {
        MultiLayerNetwork stockNet = classifier(stock());
        MultiLayerNetwork fastNet = classifier(fast());
        assertThat(TestNets.maxRelativeDifference(fastNet.params(), stockNet.params())).isZero();

        INDArray input = TestNets.input(DataType.FLOAT, 8, N_IN, STEPS, 21);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 8, 2);
        for (int i = 0; i < 8; i++) {
            labels.putScalar(i, i % 2, 1.0);
        }
        INDArray mask = masked ? TestNets.prePaddedMask(DataType.FLOAT, TestNets.randomLengths(8, STEPS, 9)) : null;
        for (int i = 0; i < 5; i++) {
            stockNet.fit(input, labels, mask, null);
            fastNet.fit(input, labels, mask, null);
        }

        assertThat(TestNets.maxRelativeDifference(fastNet.params(), stockNet.params())).isLessThan(1e-5);
        assertThat(fastNet.score()).isCloseTo(stockNet.score(), org.assertj.core.data.Offset.offset(1e-5));
        assertThat(TestNets.maxRelativeDifference(fastNet.output(input, false, mask, null),
                stockNet.output(input, false, mask, null))).isLessThan(1e-5);
    }

    /** Recurrent layer, masked average over time, softmax: the loss never sees padded steps. */
    private static MultiLayerNetwork classifier(org.deeplearning4j.nn.conf.layers.Layer recurrent) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(TestNets.SEED)
                .dataType(DataType.FLOAT)
                .updater(new Adam(0.01))
                .weightDecay(1e-2)
                .weightInit(WeightInit.XAVIER)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .list()
                .layer(recurrent)
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(2 * HIDDEN).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }
}
