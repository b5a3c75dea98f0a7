package dev.imdbstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.factory.Nd4j;

import dev.imdbstream.common.schema.ModelArtifact;
import dev.imdbstream.model.lstm.BiLstm;
import dev.imdbstream.model.lstm.BiLstmLayer;

/**
 * The two BiLSTM implementations are interchangeable in the model: same initial parameters from a seed, and a
 * network trained with either predicts the same, masks included, when its parameters are loaded into the other.
 */
class LstmImplTest {

    private static final int LENGTH = 20;

    @Test
    void shouldUseTheFastLayerOnTheCpuBackend() {
        assertThat(LstmImpl.forCurrentBackend()).isEqualTo(LstmImpl.FAST);
        MultiLayerNetwork net = SentimentNetwork.build(TestData.tiny(EmbeddingVariant.RANDOM), 1, null);
        assertThat(net.getLayer(SentimentNetwork.BILSTM)).isInstanceOf(BiLstmLayer.class);
        assertThat(((BiLstm) net.getLayerWiseConfigurations().getConf(SentimentNetwork.BILSTM).getLayer())
                .isMaskPaddedSteps()).isTrue();
    }

    @Test
    void shouldLetThePropertyOverrideTheBackendsChoice() {
        try {
            System.setProperty(LstmImpl.PROPERTY, "stock");
            assertThat(LstmImpl.forCurrentBackend()).isEqualTo(LstmImpl.STOCK);
            System.setProperty(LstmImpl.PROPERTY, " Fast ");
            assertThat(LstmImpl.forCurrentBackend()).isEqualTo(LstmImpl.FAST);
            System.setProperty(LstmImpl.PROPERTY, "cudnn");
            assertThatThrownBy(LstmImpl::forCurrentBackend).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("stock, fast or auto");
        } finally {
            System.clearProperty(LstmImpl.PROPERTY);
        }
    }

    @Test
    void shouldDrawTheSameInitialParametersWithEitherImplementation() {
        MultiLayerNetwork stock = SentimentNetwork.build(config(LstmImpl.STOCK), 9, null);
        MultiLayerNetwork fast = SentimentNetwork.build(config(LstmImpl.FAST), 9, null);

        assertThat(fast.numParams()).isEqualTo(stock.numParams());
        assertThat(fast.params()).isEqualTo(stock.params());
        assertThat(fast.getLayer(SentimentNetwork.BILSTM).paramTable().keySet())
                .containsExactlyElementsOf(stock.getLayer(SentimentNetwork.BILSTM).paramTable().keySet());
    }

    @Test
    void shouldCountTheNotebooksParametersWithTheStockLayerToo() {
        MultiLayerNetwork net = SentimentNetwork.build(
                NetworkConfig.notebook(EmbeddingVariant.RANDOM).withLstmImpl(LstmImpl.STOCK), 1, null);

        SentimentNetwork.ParameterCounts counts = SentimentNetwork.parameterCounts(net);

        assertThat(counts.total()).isEqualTo(1_318_081L);
        assertThat(counts.trainable()).isEqualTo(1_317_569L);
    }

    @ParameterizedTest
    @EnumSource(LstmImpl.class)
    void shouldPredictTheSameWithTheOtherImplementationFromTheTrainedParameters(LstmImpl trainedWith) {
        LstmImpl other = trainedWith == LstmImpl.STOCK ? LstmImpl.FAST : LstmImpl.STOCK;
        MultiLayerNetwork trained = trained(trainedWith);
        MultiLayerNetwork loaded = SentimentNetwork.build(config(other), 123, null);
        loaded.setParams(trained.params());
        int[][] sequences = sequences();

        double[] expected = Inference.predict(trained, sequences, 0);
        double[] actual = Inference.predict(loaded, sequences, 0);

        assertClose(actual, expected);
    }

    @ParameterizedTest
    @EnumSource(LstmImpl.class)
    void shouldConvertANetworkWithItsUpdaterState(LstmImpl trainedWith) {
        LstmImpl other = trainedWith == LstmImpl.STOCK ? LstmImpl.FAST : LstmImpl.STOCK;
        MultiLayerNetwork trained = trained(trainedWith);

        MultiLayerNetwork converted = BiLstmLayers.withImpl(trained, other);

        assertThat(BiLstmLayers.implOf(converted.getLayerWiseConfigurations().getConf(SentimentNetwork.BILSTM)
                .getLayer())).isEqualTo(other);
        assertThat(converted.params()).isEqualTo(trained.params());
        assertThat(converted.getUpdater().getStateViewArray()).isEqualTo(trained.getUpdater().getStateViewArray());
        assertThat(converted.getLayerWiseConfigurations().getIterationCount())
                .isEqualTo(trained.getLayerWiseConfigurations().getIterationCount());
        assertClose(Inference.predict(converted, sequences(), 0), Inference.predict(trained, sequences(), 0));
        assertThat(BiLstmLayers.withImpl(trained, trainedWith)).isSameAs(trained);

        // Converted back, it trains on exactly like the original: updater state and iteration count carried over.
        MultiLayerNetwork back = BiLstmLayers.withImpl(converted, trainedWith);
        Nd4j.getRandom().setSeed(3);
        Training.fit(back, batch());
        Nd4j.getRandom().setSeed(3);
        Training.fit(trained, batch());
        assertThat(back.params()).isEqualTo(trained.params());
    }

    @ParameterizedTest
    @EnumSource(LstmImpl.class)
    void shouldServeAnArtifactWithTheBackendsImplementationWhicheverItWasWrittenWith(LstmImpl trainedWith) {
        MultiLayerNetwork trained = trained(trainedWith);
        ModelArtifact artifact = TinyModels.artifact(trained, "m-" + trainedWith, 1L);

        MultiLayerNetwork stored = ModelArtifacts.stored(artifact.weights());
        ServingModel served = ServingModel.load(artifact);

        assertThat(BiLstmLayers.implOf(stored.getLayerWiseConfigurations().getConf(SentimentNetwork.BILSTM)
                .getLayer())).isEqualTo(trainedWith);
        assertThat(MultiLayerConfiguration.fromJson(stored.getLayerWiseConfigurations().toJson()))
                .isEqualTo(stored.getLayerWiseConfigurations());
        int[][] sequences = TestData.randomSequences(12, TinyModels.MAX_LEN, 50, 31, 10);
        assertClose(served.predict(sequences), Inference.predict(trained, sequences, 0));
    }

    /** A checkpoint with updater state resumes training exactly where the network was (what the trainer relies on). */
    @ParameterizedTest
    @EnumSource(LstmImpl.class)
    void shouldResumeFromACheckpointExactly(LstmImpl impl) throws java.io.IOException {
        MultiLayerNetwork net = trained(impl);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        org.deeplearning4j.util.ModelSerializer.writeModel(net, bytes, true);
        MultiLayerNetwork restored = org.deeplearning4j.util.ModelSerializer.restoreMultiLayerNetwork(
                new java.io.ByteArrayInputStream(bytes.toByteArray()), true);

        Nd4j.getRandom().setSeed(8);
        Training.fit(restored, batch());
        Nd4j.getRandom().setSeed(8);
        Training.fit(net, batch());

        assertThat(restored.getLayerWiseConfigurations()).isEqualTo(net.getLayerWiseConfigurations());
        assertThat(restored.params()).isEqualTo(net.params());
        assertThat(restored.getUpdater().getStateViewArray()).isEqualTo(net.getUpdater().getStateViewArray());
    }

    private static NetworkConfig config(LstmImpl impl) {
        return TestData.tiny(EmbeddingVariant.RANDOM).withOptimizer(0.01, 0.004).withLstmImpl(impl);
    }

    /** A few AdamW steps on pre-padded data: nonzero biases, moved BatchNorm statistics. */
    private static MultiLayerNetwork trained(LstmImpl impl) {
        MultiLayerNetwork net = SentimentNetwork.build(config(impl), 77, null);
        for (int i = 0; i < 4; i++) {
            Training.fit(net, batch());
        }
        return net;
    }

    private static org.nd4j.linalg.dataset.DataSet batch() {
        int[][] tokens = TestData.randomSequences(16, LENGTH, 50, 5, LENGTH - 2);
        int[] labels = new int[tokens.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 2;
        }
        return Batches.dataSet(tokens, labels, 0);
    }

    /** Differently pre-padded sequences, including ones that are mostly padding. */
    private static int[][] sequences() {
        return TestData.randomSequences(24, LENGTH, 50, 11, LENGTH - 1);
    }

    private static void assertClose(double[] actual, double[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            assertThat(actual[i]).as("probability %d", i).isCloseTo(expected[i], within(1e-6));
        }
    }
}
