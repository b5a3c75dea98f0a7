package dev.imdbstream.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

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
}
