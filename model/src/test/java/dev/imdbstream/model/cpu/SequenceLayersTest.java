package dev.imdbstream.model.cpu;

import static dev.imdbstream.model.lstm.TestNets.maxRelativeDifference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToRnnPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.RnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import dev.imdbstream.model.AttentionPooling;

/**
 * The CPU sequence layers against the stock layers they replace, as the model uses them: dropout, batch norm and
 * attention pooling over a masked sequence, stock = DL4J's dropout and BatchNormalization on reshaped rows plus the
 * SameDiff attention. Same initial parameters, same outputs (inference and training mode), same gradients of all
 * parameters and of the input, same running statistics and parameters after training steps. In training mode the
 * stock BatchNormalization counts padded steps in its batch statistics and the CPU layer does not, so the training
 * comparisons run without padding, and {@link #shouldNormaliseWithTheStatisticsOfTheRealStepsOnly} checks the
 * statistics with it.
 */
@Tag(BlasKernelCondition.TAG)
class SequenceLayersTest {

    private static final int BATCH = 5;
    private static final int FEATURES = 6;
    private static final int STEPS = 7;
    private static final long SEED = 4242;
    /**
     * Real steps per example: full, one step, and some in between (pre-padding). Not none at all: the stock
     * attention's output is NaN for an example without any step.
     */
    private static final int[] LENGTHS = {7, 1, 4, 2, 6};

    @Test
    void shouldInitialiseTheSameParametersUnderTheSameKeys() {
        MultiLayerNetwork stock = network(DataType.FLOAT, false, 1.0);
        MultiLayerNetwork fast = network(DataType.FLOAT, true, 1.0);

        assertThat(fast.numParams()).isEqualTo(stock.numParams());
        assertThat(fast.params()).isEqualTo(stock.params());
        assertThat(fast.paramTable().keySet()).containsExactlyElementsOf(stock.paramTable().keySet());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"DOUBLE, 1e-10", "FLOAT, 2e-5"})
    void shouldComputeTheStockOutputsInBothModes(DataType type, double tolerance) {
        MultiLayerNetwork stock = network(type, false, 1.0);
        MultiLayerNetwork fast = network(type, true, 1.0);
        randomizeParameters(stock, fast);

        for (boolean training : new boolean[] {false, true}) {
            INDArray mask = training ? fullMask(type) : mask(type);
            INDArray expected = stock.output(input(type), training, mask, null);
            INDArray actual = fast.output(input(type), training, mask, null);
            assertThat(maxRelativeDifference(actual, expected)).as("training=%s", training).isLessThan(tolerance);
        }
    }

    /** Central differences of the summed loss in double precision, for every parameter and the input. */
    @Test
    void shouldComputeExactGradients() {
        MultiLayerNetwork fast = network(DataType.DOUBLE, true, 1.0);
        randomizeParameters(fast);
        INDArray x = input(DataType.DOUBLE);
        Pair<Gradient, INDArray> analytic = GradientNet.of(fast).gradients(x, labels(DataType.DOUBLE),
                mask(DataType.DOUBLE));
        DataSet data = new DataSet(x, labels(DataType.DOUBLE), mask(DataType.DOUBLE), null);
        double h = 1e-6;

        int checked = 0;
        for (Map.Entry<String, INDArray> p : fast.paramTable().entrySet()) {
            INDArray param = p.getValue();
            INDArray gradient = analytic.getFirst().gradientForVariable().get(p.getKey());
            for (long i = 0; i < param.length(); i += Math.max(1, param.length() / 7)) {
                double original = param.getDouble(i);
                param.putScalar(i, original + h);
                double plus = BATCH * fast.score(data, true);
                param.putScalar(i, original - h);
                double minus = BATCH * fast.score(data, true);
                param.putScalar(i, original);
                if (p.getKey().endsWith("mean") || p.getKey().endsWith("log10stdev")) {
                    continue;   // running statistics: not used in training mode, their "gradient" is their update
                }
                assertThat(gradient.getDouble(i)).as("%s[%d]", p.getKey(), i)
                        .isCloseTo((plus - minus) / (2 * h), within(1e-7));
                checked++;
            }
        }
        for (long i = 0; i < x.length(); i += 3) {
            double original = x.getDouble(i);
            x.putScalar(i, original + h);
            double plus = BATCH * fast.score(data, true);
            x.putScalar(i, original - h);
            double minus = BATCH * fast.score(data, true);
            x.putScalar(i, original);
            assertThat(analytic.getSecond().getDouble(i)).as("input[%d]", i)
                    .isCloseTo((plus - minus) / (2 * h), within(1e-7));
            checked++;
        }
        assertThat(checked).isGreaterThan(80);
    }

    /**
     * The stock layers give the same gradients above the attention and twice the true ones at and below it: the
     * SameDiff attention layer doubles both its parameter gradients and the gradient it passes down (DL4J
     * 1.0.0-M2.1; {@link #shouldComputeExactGradients} shows which is right). Adam is nearly invariant to that
     * scale, which is why the stock network still trained as expected.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"DOUBLE, 1e-9", "FLOAT, 1e-4"})
    void shouldComputeHalfTheStockGradientsFromTheAttentionDown(DataType type, double tolerance) {
        MultiLayerNetwork stock = network(type, false, 1.0);
        MultiLayerNetwork fast = network(type, true, 1.0);
        randomizeParameters(stock, fast);

        Pair<Gradient, INDArray> expected = GradientNet.of(stock).gradients(input(type), labels(type),
                fullMask(type));
        Pair<Gradient, INDArray> actual = GradientNet.of(fast).gradients(input(type), labels(type), fullMask(type));

        assertThat(maxRelativeDifference(actual.getSecond().mul(2), expected.getSecond())).as("input gradient")
                .isLessThan(tolerance);
        Map<String, INDArray> e = expected.getFirst().gradientForVariable();
        Map<String, INDArray> a = actual.getFirst().gradientForVariable();
        assertThat(a.keySet()).containsExactlyInAnyOrderElementsOf(e.keySet());
        e.forEach((key, value) -> {
            boolean aboveAttention = key.startsWith("3_");
            boolean runningStatistic = key.endsWith("mean") || key.endsWith("log10stdev");
            double factor = aboveAttention || runningStatistic ? 1 : 2;
            assertThat(maxRelativeDifference(a.get(key).mul(factor), value)).as(key).isLessThan(tolerance);
        });
    }

    /**
     * Same parameters after a few Adam steps: Adam hides the stock layers' doubled gradients up to its epsilon (the
     * difference that remains, about 1.5e-5 here, is that epsilon's, in double precision as in single).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"DOUBLE, 3e-5", "FLOAT, 3e-5"})
    void shouldTrainLikeTheStockLayers(DataType type, double tolerance) {
        MultiLayerNetwork stock = network(type, false, 1.0);
        MultiLayerNetwork fast = network(type, true, 1.0);

        for (int i = 0; i < 4; i++) {
            stock.fit(input(type), labels(type), fullMask(type), null);
            fast.fit(input(type), labels(type), fullMask(type), null);
        }

        assertThat(maxRelativeDifference(fast.params(), stock.params())).isLessThan(tolerance);
        // The running statistics moved (they are part of the parameters compared above).
        assertThat(fast.getLayer(1).getParam("mean").amaxNumber().doubleValue()).isGreaterThan(1e-3);
    }

    /**
     * Training-mode batch statistics over the real steps only: the mean and population variance of the unmasked
     * steps normalise every step, and what the padded steps hold changes nothing at the real ones.
     */
    @Test
    void shouldNormaliseWithTheStatisticsOfTheRealStepsOnly() {
        MultiLayerNetwork fast = network(DataType.DOUBLE, true, 1.0);
        randomizeParameters(fast);
        SequenceBatchNormalizationLayer batchNorm = (SequenceBatchNormalizationLayer) fast.getLayer(1);
        LayerWorkspaceMgr noWs = LayerWorkspaceMgr.noWorkspaces();
        INDArray x = input(DataType.DOUBLE);
        INDArray mask = mask(DataType.DOUBLE);
        batchNorm.feedForwardMaskArray(mask, MaskState.Active, BATCH);

        INDArray out = batchNorm.activate(x, true, noWs).dup();

        INDArray gamma = batchNorm.getParam("gamma");
        INDArray beta = batchNorm.getParam("beta");
        for (int j = 0; j < FEATURES; j++) {
            double sum = 0;
            double sumSq = 0;
            int n = 0;
            for (int b = 0; b < BATCH; b++) {
                for (int t = 0; t < STEPS; t++) {
                    if (mask.getDouble(b, t) != 0) {
                        double v = x.getDouble(b, j, t);
                        sum += v;
                        sumSq += v * v;
                        n++;
                    }
                }
            }
            double mean = sum / n;
            double std = Math.sqrt(sumSq / n - mean * mean + 1e-3);
            for (int b = 0; b < BATCH; b++) {
                for (int t = 0; t < STEPS; t++) {
                    double expected = gamma.getDouble(j) * (x.getDouble(b, j, t) - mean) / std + beta.getDouble(j);
                    assertThat(out.getDouble(b, j, t)).as("[%d, %d, %d]", b, j, t).isCloseTo(expected, within(1e-9));
                }
            }
        }

        INDArray otherPadding = x.dup();
        for (int b = 0; b < BATCH; b++) {
            for (int t = 0; t < STEPS - LENGTHS[b]; t++) {
                for (int j = 0; j < FEATURES; j++) {
                    otherPadding.putScalar(new int[] {b, j, t}, 100.0 + j);
                }
            }
        }
        INDArray again = batchNorm.activate(otherPadding, true, noWs);
        INDArray real = mask.reshape(BATCH, 1, STEPS).broadcast(BATCH, FEATURES, STEPS);
        assertThat(maxRelativeDifference(again.mul(real), out.mul(real))).isZero();
    }

    @Test
    void shouldGiveTheSameResultsWhateverTheLayoutOfTheInput() {
        MultiLayerNetwork fast = network(DataType.DOUBLE, true, 1.0);
        randomizeParameters(fast);
        INDArray cOrder = input(DataType.DOUBLE);
        INDArray fOrder = cOrder.dup('f');
        INDArray rows = Nd4j.create(DataType.DOUBLE, BATCH, STEPS, FEATURES).assign(cOrder.permute(0, 2, 1))
                .permute(0, 2, 1);
        assertThat(SequenceRows.isRowLayout(rows)).isTrue();
        assertThat(SequenceRows.isRowLayout(cOrder)).isFalse();

        INDArray expected = fast.output(cOrder, true, mask(DataType.DOUBLE), null);
        GradientNet net = GradientNet.of(fast);
        INDArray gradient = net.gradients(cOrder, labels(DataType.DOUBLE), mask(DataType.DOUBLE)).getSecond().dup();
        for (INDArray x : new INDArray[] {fOrder, rows}) {
            assertThat(maxRelativeDifference(fast.output(x, true, mask(DataType.DOUBLE), null), expected)).isZero();
            assertThat(maxRelativeDifference(net.gradients(x, labels(DataType.DOUBLE), mask(DataType.DOUBLE))
                    .getSecond(), gradient)).isZero();
        }
    }

    /** Inverted dropout with the retain probability, its factors reused by the backward pass, drawn from the seed. */
    @ParameterizedTest(name = "{0}, row layout {1}")
    @CsvSource({"FLOAT, true", "FLOAT, false", "DOUBLE, true"})
    void shouldDropOutLikeTheStockDropout(DataType type, boolean rows) {
        MultiLayerNetwork net = network(type, true, 0.5);
        SequenceDropoutLayer dropout = (SequenceDropoutLayer) net.getLayer(0);
        INDArray x = Nd4j.ones(type, 40, FEATURES, 50);
        if (rows) {
            x = Nd4j.ones(type, 40, 50, FEATURES).permute(0, 2, 1);
        }
        LayerWorkspaceMgr noWs = LayerWorkspaceMgr.noWorkspaces();

        Nd4j.getRandom().setSeed(5);
        INDArray out = dropout.activate(x, true, noWs).dup();
        INDArray grad = dropout.backpropGradient(Nd4j.ones(type, 40, FEATURES, 50).muli(3), noWs).getSecond();
        Nd4j.getRandom().setSeed(5);
        INDArray again = dropout.activate(x, true, noWs).dup();
        INDArray other = dropout.activate(x, true, noWs).dup();

        double kept = out.neq(0).castTo(DataType.DOUBLE).meanNumber().doubleValue();
        assertThat(kept).isBetween(0.48, 0.52);
        assertThat(out.maxNumber().doubleValue()).isEqualTo(2.0);
        assertThat(grad).isEqualTo(out.mul(3));
        assertThat(again).isEqualTo(out);
        assertThat(other).isNotEqualTo(out);
        assertThat(dropout.activate(x, false, noWs)).isEqualTo(x);
    }

    @Test
    void shouldRoundTripTheConfigurationsThroughJson() {
        MultiLayerConfiguration conf = network(DataType.FLOAT, true, 0.5).getLayerWiseConfigurations();

        MultiLayerConfiguration restored = MultiLayerConfiguration.fromJson(conf.toJson());

        assertThat(restored).isEqualTo(conf);
        assertThat(restored.getConf(0).getLayer()).isInstanceOf(SequenceDropout.class);
        assertThat(restored.getConf(1).getLayer()).isInstanceOf(SequenceBatchNormalization.class);
        assertThat(restored.getConf(2).getLayer()).isInstanceOf(FastAttentionPooling.class);
    }

    /** dropout -> batch norm -> attention pooling -> sigmoid output, the model's sequence part. */
    static MultiLayerNetwork network(DataType type, boolean fast, double retain) {
        DropoutLayer dropout = new DropoutLayer.Builder(retain).build();
        BatchNormalization batchNorm = new BatchNormalization.Builder().nIn(FEATURES).nOut(FEATURES).decay(0.9)
                .eps(1e-3).build();
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(SEED)
                .dataType(type)
                .updater(new Adam(0.01))
                .weightInit(WeightInit.XAVIER)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .list()
                .layer(fast ? SequenceDropout.of(dropout) : dropout)
                .layer(fast ? SequenceBatchNormalization.of(batchNorm) : batchNorm)
                .layer(fast ? new FastAttentionPooling.Builder().nIn(FEATURES).build()
                        : new AttentionPooling.Builder().nIn(FEATURES).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nIn(FEATURES).nOut(1)
                        .activation(Activation.SIGMOID).build());
        if (!fast) {
            list.inputPreProcessor(0, new RnnToFeedForwardPreProcessor())
                    .inputPreProcessor(2, new FeedForwardToRnnPreProcessor());
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    /** The same random parameters in each network, running statistics included (variance kept positive). */
    private static void randomizeParameters(MultiLayerNetwork... nets) {
        Nd4j.getRandom().setSeed(99);
        INDArray p = Nd4j.rand(nets[0].params().dataType(), 1, nets[0].numParams()).subi(0.5);
        for (MultiLayerNetwork net : nets) {
            net.setParams(p.dup());
        }
    }

    private static INDArray input(DataType type) {
        Nd4j.getRandom().setSeed(17);
        return Nd4j.rand(type, BATCH, FEATURES, STEPS).muli(2).subi(1);
    }

    private static INDArray mask(DataType type) {
        INDArray mask = Nd4j.zeros(type, BATCH, STEPS);
        for (int i = 0; i < BATCH; i++) {
            for (int t = STEPS - LENGTHS[i]; t < STEPS; t++) {
                mask.putScalar(i, t, 1.0);
            }
        }
        return mask;
    }

    private static INDArray fullMask(DataType type) {
        return Nd4j.ones(type, BATCH, STEPS);
    }

    private static INDArray labels(DataType type) {
        return Nd4j.createFromArray(new double[][] {{1}, {0}, {1}, {0}, {0}}).castTo(type);
    }
}
