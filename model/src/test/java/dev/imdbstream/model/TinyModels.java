package dev.imdbstream.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import dev.imdbstream.common.schema.Hyperparameters;
import dev.imdbstream.common.schema.ModelArtifact;
import dev.imdbstream.common.schema.Preprocessing;
import dev.imdbstream.common.text.Tokenizer;
import dev.imdbstream.common.text.Vocabulary;

/** A small trained model of the full architecture, with its vocabulary, as the trainer would publish it. */
final class TinyModels {

    static final int MAX_LEN = 12;

    private TinyModels() {
    }

    /** 47 words below numWords = 50 (ids 3..49); a few real ones so that text tests read naturally. */
    static Vocabulary vocabulary() {
        List<String> words = new ArrayList<>(List.of("the", "movie", "was", "good", "bad", "great", "awful", "plot",
                "acting", "i", "it", "and", "not", "a", "film"));
        for (int i = words.size(); i < 47; i++) {
            words.add("w" + i);
        }
        return new Vocabulary(new Preprocessing(Tokenizer.NAME, 50, MAX_LEN, Preprocessing.PRE, Preprocessing.PRE,
                0, 1, 2, 3), words);
    }

    /** The tiny network after a few AdamW steps (so BatchNormalization's running statistics have moved). */
    static MultiLayerNetwork trained(long seed, int steps) {
        NetworkConfig config = TestData.tiny(EmbeddingVariant.RANDOM).withOptimizer(0.01, 0.004);
        MultiLayerNetwork net = SentimentNetwork.build(config, seed, null);
        int[][] tokens = TestData.randomSequences(16, MAX_LEN, config.vocabSize(), seed + 1, 6);
        int[] labels = new int[tokens.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 2;
        }
        for (int s = 0; s < steps; s++) {
            Training.fit(net, Batches.dataSet(tokens, labels, 0));
        }
        return net;
    }

    static ModelArtifact artifact(MultiLayerNetwork net, String modelId, long createdAtMs) {
        ModelArtifacts.Description d = new ModelArtifacts.Description(modelId, "random", 100, 7L, "exp-1",
                "exp-1.random.n100.s7", "dataset-1", vocabulary(), Hyperparameters.notebook(),
                Map.of("valLoss", 0.69, "valAccuracy", 0.5, "testAccuracy", 0.5),
                Map.of("codeRevision", "test", "epochs", "1"));
        return ModelArtifacts.encode(net, d, TestData.tiny(EmbeddingVariant.RANDOM), createdAtMs);
    }
}
