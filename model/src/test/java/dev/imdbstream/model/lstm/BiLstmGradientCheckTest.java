package dev.imdbstream.model.lstm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToRnnPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.RnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import dev.imdbstream.model.cpu.BlasKernelCondition;

/**
 * Finite-difference checks of every parameter gradient in double precision (DL4J's {@link
 * GradientCheckUtil}: central differences, eps 1e-6). An embedding layer in front makes the check
 * cover the layer's input gradient too, as in the sentiment network.
 */
@Tag(BlasKernelCondition.TAG)
class BiLstmGradientCheckTest {

    private static final int VOCAB = 11;
    private static final int N_IN = 4;
    private static final int HIDDEN = 3;
    private static final int BATCH = 4;
    private static final int STEPS = 6;

    private static DataType previousDefault;
    private static DataType previousFloatingPoint;

    /** GradientCheckUtil refuses to run unless ND4J's global default type is double. */
    @BeforeAll
    static void useDoubleByDefault() {
        previousDefault = Nd4j.dataType();
        previousFloatingPoint = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restoreDefaultType() {
        Nd4j.setDefaultDataTypes(previousDefault, previousFloatingPoint);
    }

    @Test
    void shouldPassTheGradientCheckWithoutAMask() {
        MultiLayerNetwork net = TestNets.net(DataType.DOUBLE,
                embedding(),
                new BiLstm.Builder().nIn(N_IN).nOut(HIDDEN).build(),
                new GlobalPoolingLayer.Builder(PoolingType.AVG).build(),
                classifier());

        assertThat(check(net, tokens(), classes(), null)).isTrue();
    }

    @Test
    void shouldPassTheGradientCheckWithAPrePaddingMask() {
        MultiLayerNetwork net = TestNets.net(DataType.DOUBLE,
                embedding(),
                new BiLstm.Builder().nIn(N_IN).nOut(HIDDEN).maskPaddedSteps(true).build(),
                new GlobalPoolingLayer.Builder(PoolingType.AVG).build(),
                classifier());

        assertThat(check(net, tokens(), classes(), mask())).isTrue();
    }

    /**
     * Batch normalisation between the layer and the masked pooling sends non-zero gradients to padded
     * steps, as in the sentiment network: the layer must still give the derivative of its output.
     */
    @Test
    void shouldPassTheGradientCheckWhenPaddedStepsReceiveGradient() {
        MultiLayerNetwork net = TestNets.init(TestNets.list(DataType.DOUBLE)
                .layer(embedding())
                .layer(new BiLstm.Builder().nIn(N_IN).nOut(HIDDEN).maskPaddedSteps(true).build())
                .inputPreProcessor(2, new RnnToFeedForwardPreProcessor())
                .layer(new BatchNormalization.Builder().nIn(2 * HIDDEN).nOut(2 * HIDDEN).build())
                .inputPreProcessor(3, new FeedForwardToRnnPreProcessor())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(classifier()));

        // The running mean and variance are state, not trained by gradient.
        assertThat(check(net, tokens(), classes(), mask(), Set.of("2_mean", "2_var", "2_log10stdev"))).isTrue();
    }

    private static boolean check(MultiLayerNetwork net, INDArray input, INDArray labels, INDArray mask) {
        return check(net, input, labels, mask, Set.of());
    }

    private static boolean check(MultiLayerNetwork net, INDArray input, INDArray labels, INDArray mask,
            Set<String> excluded) {
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig()
                .net(net)
                .input(input)
                .labels(labels)
                .inputMask(mask)
                .excludeParams(excluded)
                .epsilon(1e-6)
                .maxRelError(1e-5)
                .minAbsoluteError(1e-9));
    }

    private static EmbeddingSequenceLayer embedding() {
        return new EmbeddingSequenceLayer.Builder().nIn(VOCAB).nOut(N_IN).build();
    }

    private static OutputLayer classifier() {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(2 * HIDDEN).nOut(2)
                .activation(Activation.SOFTMAX).build();
    }

    /** Token ids {@code [B, 1, T]}. */
    private static INDArray tokens() {
        Nd4j.getRandom().setSeed(41);
        return Nd4j.rand(DataType.DOUBLE, BATCH, 1, STEPS).muli(VOCAB - 1).castTo(DataType.INT32).castTo(DataType.DOUBLE);
    }

    private static INDArray classes() {
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, BATCH, 2);
        for (int i = 0; i < BATCH; i++) {
            labels.putScalar(i, i % 2, 1.0);
        }
        return labels;
    }

    private static INDArray mask() {
        return TestNets.prePaddedMask(DataType.DOUBLE, STEPS, 1, 3, 5);
    }
}
