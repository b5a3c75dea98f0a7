package dev.imdbstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import dev.imdbstream.common.schema.EmbeddingMatrix;

class SentimentNetworkTest {

    @Test
    void shouldCountTheNotebooksParametersLikeKeras() {
        MultiLayerNetwork net = SentimentNetwork.build(NetworkConfig.notebook(EmbeddingVariant.RANDOM), 1, null);

        SentimentNetwork.ParameterCounts counts = SentimentNetwork.parameterCounts(net);

        assertThat(net.numParams()).isEqualTo(1_318_081L);
        assertThat(counts.total()).isEqualTo(1_318_081L);
        assertThat(counts.trainable()).isEqualTo(1_317_569L);
        assertThat(counts.nonTrainable()).isEqualTo(512L);
    }

    @Test
    void shouldCountFrozenEmbeddingsAsNonTrainable() {
        MultiLayerNetwork net = SentimentNetwork.build(NetworkConfig.notebook(EmbeddingVariant.GLOVE_FROZEN), 1,
                TestData.embeddingMatrix(10_000, 100, 3));

        SentimentNetwork.ParameterCounts counts = SentimentNetwork.parameterCounts(net);

        assertThat(counts.total()).isEqualTo(1_318_081L);
        assertThat(counts.trainable()).isEqualTo(1_317_569L - 1_000_000L);
    }

    @Test
    void shouldPredictOneProbabilityPerSequence() {
        NetworkConfig config = TestData.tiny(EmbeddingVariant.RANDOM);
        MultiLayerNetwork net = SentimentNetwork.build(config, 7, null);
        int[][] tokens = TestData.randomSequences(5, 12, config.vocabSize(), 3, 11);

        double[] p = Inference.predict(net, tokens, 0);

        assertThat(p).hasSize(5);
        for (double v : p) {
            assertThat(v).isBetween(0.0, 1.0);
        }
    }

    @Test
    void shouldStartGloveVariantsFromTheMatrixRowForRow() {
        NetworkConfig config = TestData.tiny(EmbeddingVariant.GLOVE);
        EmbeddingMatrix matrix = TestData.embeddingMatrix(config.vocabSize(), config.embeddingDim(), 21);

        MultiLayerNetwork net = SentimentNetwork.build(config, 1, matrix);

        float[] expected = matrix.floats();
        INDArray weights = net.getLayer(SentimentNetwork.EMBEDDING).getParam("W");
        for (int row = 0; row < config.vocabSize(); row++) {
            for (int col = 0; col < config.embeddingDim(); col++) {
                assertThat(weights.getFloat(row, col)).isEqualTo(expected[row * config.embeddingDim() + col]);
            }
        }
    }

    @Test
    void shouldKeepFrozenEmbeddingsUnchangedByTraining() {
        NetworkConfig config = TestData.tiny(EmbeddingVariant.GLOVE_FROZEN).withOptimizer(0.01, 0.1);
        MultiLayerNetwork net = SentimentNetwork.build(config, 1,
                TestData.embeddingMatrix(config.vocabSize(), config.embeddingDim(), 21));
        INDArray embeddingBefore = net.getLayer(SentimentNetwork.EMBEDDING).getParam("W").dup();
        INDArray denseBefore = net.getLayer(SentimentNetwork.DENSE).getParam("W").dup();
        int[][] tokens = TestData.randomSequences(4, 8, config.vocabSize(), 2, 3);

        Training.fit(net, Batches.dataSet(tokens, new int[] {0, 1, 0, 1}, 0));

        assertThat(net.getLayer(SentimentNetwork.EMBEDDING).getParam("W")).isEqualTo(embeddingBefore);
        assertThat(net.getLayer(SentimentNetwork.DENSE).getParam("W")).isNotEqualTo(denseBefore);
    }

    @Test
    void shouldRefuseAMatrixThatDoesNotFitTheVariantOrTheLayer() {
        NetworkConfig glove = TestData.tiny(EmbeddingVariant.GLOVE);

        assertThatThrownBy(() -> SentimentNetwork.build(glove, 1, null)).hasMessageContaining("needs an embedding");
        assertThatThrownBy(() -> SentimentNetwork.build(TestData.tiny(EmbeddingVariant.RANDOM), 1,
                TestData.embeddingMatrix(50, 8, 1))).hasMessageContaining("takes no embedding");
        assertThatThrownBy(() -> SentimentNetwork.build(glove, 1, TestData.embeddingMatrix(40, 8, 1)))
                .hasMessageContaining("40x8");
    }

    @Test
    void shouldNameVariantsAsOnTheWire() {
        assertThat(EmbeddingVariant.of("glove-frozen")).isEqualTo(EmbeddingVariant.GLOVE_FROZEN);
        assertThat(EmbeddingVariant.of("random").trainable()).isTrue();
        assertThatThrownBy(() -> EmbeddingVariant.of("word2vec")).hasMessageContaining("random, glove, glove-frozen");
    }

    @Test
    void shouldInitialiseLstmKernelsAsKeras() {
        MultiLayerNetwork net = SentimentNetwork.build(NetworkConfig.notebook(EmbeddingVariant.RANDOM), 4, null);

        for (String direction : new String[] {"f", "b"}) {
            INDArray recurrent = net.getLayer(SentimentNetwork.BILSTM).getParam(direction + "RW");
            INDArray gram = recurrent.mmul(recurrent.transpose());
            assertThat(recurrent.shape()).containsExactly(128, 512);
            assertThat(gram.sub(Nd4j.eye(128)).amaxNumber().doubleValue()).isLessThan(1e-5);
            INDArray input = net.getLayer(SentimentNetwork.BILSTM).getParam(direction + "W");
            double limit = Math.sqrt(6.0 / (100 + 512));
            assertThat(input.amaxNumber().doubleValue()).isLessThanOrEqualTo(limit).isGreaterThan(0.9 * limit);
        }
    }
}
