package dev.imdbstream.scorer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import dev.imdbstream.common.schema.Hyperparameters;
import dev.imdbstream.common.schema.ModelArtifact;
import dev.imdbstream.common.schema.Preprocessing;
import dev.imdbstream.common.text.Tokenizer;
import dev.imdbstream.common.text.Vocabulary;
import dev.imdbstream.encoder.SentenceEncoder;
import dev.imdbstream.model.Batches;
import dev.imdbstream.model.EmbeddingVariant;
import dev.imdbstream.model.ModelArtifacts;
import dev.imdbstream.model.NetworkConfig;
import dev.imdbstream.model.SentimentNetwork;
import dev.imdbstream.model.Training;
import dev.imdbstream.model.sentence.SentenceLogisticModel;
import dev.imdbstream.model.sentence.TfidfSentenceModel;
import dev.imdbstream.model.tfidf.TfidfFeaturizer;
import dev.imdbstream.model.tfidf.TfidfLogisticModel;

/**
 * Real serving artifacts for the tests: the notebook's architecture with small dimensions, really trained (a few
 * seconds, fixed seeds) on synthetic reviews whose sentiment is carried by a few words, so that it classifies them
 * correctly and its artifact goes through the same encode/load path as a trainer's.
 */
public final class TestModels {

    public static final List<String> POSITIVE = List.of("great", "wonderful", "excellent", "loved", "brilliant",
            "superb", "enjoyable", "masterpiece");
    public static final List<String> NEGATIVE = List.of("awful", "terrible", "boring", "worst", "waste", "dull",
            "horrible", "poor");
    private static final List<String> NEUTRAL = List.of("the", "a", "movie", "film", "plot", "actor", "story",
            "scene", "it", "was", "and", "of", "this", "i", "watched", "ending", "character", "director", "music",
            "time", "cast", "script", "with", "his", "her", "they", "for", "on", "in", "at");
    /** Ids below 64, sequences of 24: small enough to train in seconds. */
    public static final Preprocessing PREPROCESSING = new Preprocessing(Tokenizer.NAME, 64, 24, Preprocessing.PRE,
            Preprocessing.PRE, 0, 1, 2, 3);
    public static final Vocabulary VOCABULARY = vocabulary();
    public static final String DATASET_ID = "synthetic-test";

    private static MultiLayerNetwork trained;

    private TestModels() {
    }

    /** A synthetic review: neutral words with a few words of its sentiment. */
    public static String review(SplittableRandom random, boolean positive) {
        List<String> cue = positive ? POSITIVE : NEGATIVE;
        int length = 8 + random.nextInt(10);
        List<String> words = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            words.add(NEUTRAL.get(random.nextInt(NEUTRAL.size())));
        }
        for (int i = 0; i < 2 + random.nextInt(2); i++) {
            words.set(random.nextInt(length), cue.get(random.nextInt(cue.size())));
        }
        String text = String.join(" ", words);
        return Character.toUpperCase(text.charAt(0)) + text.substring(1) + (positive ? "!" : ".");
    }

    /** An artifact of the trained test network with the given identity and validation loss. */
    public static ModelArtifact artifact(String modelId, String variant, int subsetSize, double valLoss, long createdAtMs) {
        ModelArtifacts.Description d = new ModelArtifacts.Description(modelId, variant, subsetSize, 7, "test-experiment",
                "job-" + modelId, DATASET_ID, VOCABULARY, Hyperparameters.notebook(),
                Map.of("valLoss", valLoss, "valAccuracy", 0.9, "testAccuracy", 0.9), Map.of("source", "TestModels"));
        return ModelArtifacts.encode(trainedNetwork(), d, config(), createdAtMs);
    }

    /**
     * An artifact of the classical baseline ({@code tfidf-logreg-v1}, reading whole reviews): the TF-IDF featurizer
     * fitted on synthetic reviews, a coefficient of +4 for each positive and -4 for each negative word (what a logistic regression
     * learns here, in sign), through the same encoding as a trainer's.
     */
    public static ModelArtifact tfidfArtifact(String modelId, int subsetSize, double valLoss, long createdAtMs) {
        SplittableRandom random = new SplittableRandom(13);
        int[][] tokens = new int[200][];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = VOCABULARY.encodeAll(review(random, i % 2 == 1));
        }
        TfidfFeaturizer featurizer = TfidfFeaturizer.fit(tokens, PREPROCESSING, 2);
        long[] terms = featurizer.terms();
        double[] weights = new double[terms.length];
        for (int i = 0; i < terms.length; i++) {
            String word = terms[i] < PREPROCESSING.numWords() ? VOCABULARY.word((int) terms[i]) : null;
            word = word == null ? "" : word; // bigrams and the OOV id
            weights[i] = POSITIVE.contains(word) ? 4 : NEGATIVE.contains(word) ? -4 : 0;
        }
        TfidfLogisticModel model = new TfidfLogisticModel(featurizer, TfidfLogisticModel.Input.WHOLE_REVIEW, weights, 0);
        return new ModelArtifact(ModelArtifact.VERSION, modelId, "tfidf-logreg", subsetSize, 7, "test-experiment",
                "job-" + modelId, DATASET_ID, TfidfLogisticModel.FORMAT, PREPROCESSING, VOCABULARY.words(),
                Hyperparameters.notebook(), Map.of("valLoss", valLoss, "valAccuracy", 0.9, "testAccuracy", 0.9),
                Map.of("source", "TestModels"), model.encode(), createdAtMs);
    }

    /**
     * An artifact of {@code minilm-logreg} ({@code sentence-logreg-v1}): coefficients along the encoder's direction
     * from a negative to a positive review (what a logistic regression learns here, roughly), through the same
     * encoding as a trainer's.
     */
    public static ModelArtifact sentenceArtifact(String modelId, int subsetSize, double valLoss, long createdAtMs) {
        SentenceEncoder encoder = SentenceEncoder.shared(SentenceEncoder.MINILM);
        float[] good = encoder.encode(String.join(" ", POSITIVE) + " movie");
        float[] bad = encoder.encode(String.join(" ", NEGATIVE) + " movie");
        double[] weights = new double[good.length];
        for (int j = 0; j < weights.length; j++) {
            weights[j] = 20 * (good[j] - bad[j]);
        }
        SentenceLogisticModel model = new SentenceLogisticModel(encoder.name(), weights, 0);
        return new ModelArtifact(ModelArtifact.VERSION, modelId, "minilm-logreg", subsetSize, 7, "test-experiment",
                "job-" + modelId, DATASET_ID, SentenceLogisticModel.FORMAT, PREPROCESSING, VOCABULARY.words(),
                Hyperparameters.notebook(), Map.of("valLoss", valLoss, "valAccuracy", 0.9, "testAccuracy", 0.9),
                Map.of("source", "TestModels"), model.encode(), createdAtMs);
    }

    /**
     * An artifact of {@code tfidf-minilm-logreg} ({@code tfidf-sentence-logreg-v1}): the terms part of
     * {@link #tfidfArtifact} and the vector part of {@link #sentenceArtifact}, each at half weight.
     */
    public static ModelArtifact combinedArtifact(String modelId, int subsetSize, double valLoss, long createdAtMs) {
        TfidfLogisticModel terms = TfidfLogisticModel.decode(tfidfArtifact(modelId, subsetSize, valLoss, createdAtMs)
                .weights(), PREPROCESSING);
        SentenceLogisticModel vector = SentenceLogisticModel.decode(sentenceArtifact(modelId, subsetSize, valLoss,
                createdAtMs).weights());
        double[] t = new double[terms.featurizer().size()];
        for (int i = 0; i < t.length; i++) {
            long term = terms.featurizer().terms()[i];
            String word = term < PREPROCESSING.numWords() ? VOCABULARY.word((int) term) : null;
            word = word == null ? "" : word;
            t[i] = POSITIVE.contains(word) ? 2 : NEGATIVE.contains(word) ? -2 : 0;
        }
        double[] u = new double[vector.dimension()];
        SentenceEncoder encoder = SentenceEncoder.shared(SentenceEncoder.MINILM);
        float[] good = encoder.encode(String.join(" ", POSITIVE) + " movie");
        float[] bad = encoder.encode(String.join(" ", NEGATIVE) + " movie");
        for (int j = 0; j < u.length; j++) {
            u[j] = 10 * (good[j] - bad[j]);
        }
        TfidfSentenceModel model = new TfidfSentenceModel(
                new TfidfLogisticModel(terms.featurizer(), TfidfLogisticModel.Input.WHOLE_REVIEW, t, 0),
                new SentenceLogisticModel(encoder.name(), u, 0));
        return new ModelArtifact(ModelArtifact.VERSION, modelId, "tfidf-minilm-logreg", subsetSize, 7,
                "test-experiment", "job-" + modelId, DATASET_ID, TfidfSentenceModel.FORMAT, PREPROCESSING,
                VOCABULARY.words(), Hyperparameters.notebook(),
                Map.of("valLoss", valLoss, "valAccuracy", 0.9, "testAccuracy", 0.9), Map.of("source", "TestModels"),
                model.encode(), createdAtMs);
    }

    private static NetworkConfig config() {
        return NetworkConfig.notebook(EmbeddingVariant.RANDOM).withDimensions(PREPROCESSING.numWords(), 8, 8, 8)
                .withOptimizer(1e-2, 0);
    }

    private static synchronized MultiLayerNetwork trainedNetwork() {
        if (trained == null) {
            SplittableRandom random = new SplittableRandom(11);
            int n = 320;
            int[][] tokens = new int[n][];
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = i % 2;
                tokens[i] = VOCABULARY.encodeText(review(random, labels[i] == 1));
            }
            MultiLayerNetwork net = SentimentNetwork.build(config(), 3, null);
            for (int epoch = 0; epoch < 12; epoch++) {
                for (int from = 0; from < n; from += 32) {
                    Training.fit(net, Batches.dataSet(tokens, labels, from, Math.min(n, from + 32), PREPROCESSING.padId()));
                }
            }
            trained = net;
        }
        return trained;
    }

    private static Vocabulary vocabulary() {
        List<String> words = new ArrayList<>(NEUTRAL);
        words.addAll(POSITIVE);
        words.addAll(NEGATIVE);
        return new Vocabulary(PREPROCESSING, words);
    }
}
