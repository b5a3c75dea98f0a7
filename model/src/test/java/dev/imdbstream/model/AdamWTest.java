package dev.imdbstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;

import dev.imdbstream.model.cpu.BlasKernelCondition;

/** One optimiser step must be exactly Keras' AdamW: Adam plus {@code lr * decay * param}, once. */
@Tag(BlasKernelCondition.TAG)
class AdamWTest {

    // Larger than the notebook's so that a doubled decay term is far above float32 rounding.
    private static final double LR = 0.01;
    private static final double DECAY = 0.1;

    @Test
    void shouldApplyOneAdamWStepAsComputedByHand() {
        NetworkConfig config = TestData.tiny(EmbeddingVariant.RANDOM).withOptimizer(LR, DECAY).withDropout(0, 0);
        MultiLayerNetwork net = SentimentNetwork.build(config, 11, null);
        int[][] tokens = TestData.randomSequences(6, 10, config.vocabSize(), 4, 4);
        DataSet batch = Batches.dataSet(tokens, new int[] {0, 1, 1, 0, 1, 0}, 0);

        Map<String, INDArray> before = snapshot(net);
        Map<String, INDArray> gradients = gradients(net, batch);
        Training.fit(net, batch);
        Map<String, INDArray> after = snapshot(net);

        int checked = 0;
        for (String key : before.keySet()) {
            if (isBatchNormStatistic(key)) {
                continue;
            }
            boolean decayed = !key.startsWith(SentimentNetwork.BATCH_NORM + "_");
            float[] p0 = before.get(key).data().asFloat();
            float[] g = gradients.get(key).data().asFloat();
            float[] p1 = after.get(key).data().asFloat();
            for (int i = 0; i < p0.length; i++) {
                double expected = adamW(p0[i], g[i] / tokens.length, decayed ? DECAY : 0);
                assertThat((double) p1[i]).as("%s[%d]", key, i).isCloseTo(expected, within(2e-6));
            }
            checked += p0.length;
        }
        assertThat(checked).isGreaterThan(1000);
    }

    @Test
    void shouldConfigureWeightDecayOnceForEveryDecayedParameter() {
        MultiLayerNetwork net = SentimentNetwork.build(NetworkConfig.notebook(EmbeddingVariant.RANDOM), 1, null);

        for (int i = 0; i < net.getnLayers(); i++) {
            Layer layer = net.getLayer(i);
            org.deeplearning4j.nn.conf.layers.Layer conf = net.getLayerWiseConfigurations().getConf(i).getLayer();
            for (String param : layer.paramTable().keySet()) {
                List<Regularization> regs = conf.getRegularizationByParam(param);
                if (conf instanceof BatchNormalization) {
                    assertThat(regs).as("layer %d %s", i, param).isNullOrEmpty();
                } else {
                    assertThat(regs).as("layer %d %s", i, param).hasSize(1);
                    assertThat(regs.get(0)).isInstanceOf(WeightDecay.class);
                }
            }
        }
    }

    /** Keras' AdamW at step 1 from zero moments (decay applied to the pre-step value, decoupled from Adam). */
    private static double adamW(double p0, double g, double decay) {
        double b1 = NetworkConfig.ADAM_BETA1;
        double b2 = NetworkConfig.ADAM_BETA2;
        double m = (1 - b1) * g;
        double v = (1 - b2) * g * g;
        double alpha = LR * Math.sqrt(1 - b2) / (1 - b1);
        return p0 - alpha * m / (Math.sqrt(v) + 1e-7) - LR * decay * p0;
    }

    private static boolean isBatchNormStatistic(String key) {
        return key.equals(SentimentNetwork.BATCH_NORM + "_" + BatchNormalizationParamInitializer.GLOBAL_MEAN)
                || key.equals(SentimentNetwork.BATCH_NORM + "_" + BatchNormalizationParamInitializer.GLOBAL_VAR)
                || key.equals(SentimentNetwork.BATCH_NORM + "_" + BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
    }

    private static Map<String, INDArray> snapshot(MultiLayerNetwork net) {
        Map<String, INDArray> out = new java.util.LinkedHashMap<>();
        net.paramTable().forEach((k, v) -> out.put(k, v.dup()));
        return out;
    }

    /**
     * The gradient of the batch's summed loss, without regularization, per parameter. DL4J's updater divides it by
     * the batch size, which gives the gradient of the mean loss, as in Keras.
     */
    private static Map<String, INDArray> gradients(MultiLayerNetwork net, DataSet batch) {
        net.setInput(batch.getFeatures());
        net.setLabels(batch.getLabels());
        net.setLayerMaskArrays(batch.getFeaturesMaskArray(), null);
        net.computeGradientAndScore();
        Map<String, INDArray> out = new java.util.LinkedHashMap<>();
        net.gradient().gradientForVariable().forEach((k, v) -> out.put(k, v.dup()));
        net.clearLayerMaskArrays();
        return out;
    }
}
