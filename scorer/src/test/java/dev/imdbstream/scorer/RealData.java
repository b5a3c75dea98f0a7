package dev.imdbstream.scorer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.imdbstream.common.data.AclImdbReader;
import dev.imdbstream.common.data.RawReview;
import dev.imdbstream.common.data.ImdbSplit;
import dev.imdbstream.common.schema.Hyperparameters;
import dev.imdbstream.common.schema.ModelArtifact;
import dev.imdbstream.common.schema.Preprocessing;
import dev.imdbstream.common.text.Tokenizer;
import dev.imdbstream.common.text.Vocabulary;
import dev.imdbstream.model.Batches;
import dev.imdbstream.model.EmbeddingVariant;
import dev.imdbstream.model.Inference;
import dev.imdbstream.model.ModelArtifacts;
import dev.imdbstream.model.NetworkConfig;
import dev.imdbstream.model.SentimentNetwork;
import dev.imdbstream.model.Training;

/**
 * The real IMDB reviews of {@code imdb.data.dir} (see shared/data/README.md) for integration tests and the
 * benchmark: the vocabulary the ingestor builds (training-split frequencies, Keras' layout, length 150), a
 * reproducible sample of training and test reviews, and a quickly trained real model (the notebook's architecture,
 * narrower, a higher learning rate, a few epochs).
 */
public final class RealData {

    private static final Logger LOG = LoggerFactory.getLogger(RealData.class);

    public final Vocabulary vocabulary;
    public final List<RawReview> train;
    public final List<RawReview> test;

    private RealData(Vocabulary vocabulary, List<RawReview> train, List<RawReview> test) {
        this.vocabulary = vocabulary;
        this.train = train;
        this.test = test;
    }

    /** The archive, or null (with the reason logged) when the data directory does not hold it. */
    public static Path archive() {
        String dir = System.getProperty("imdb.data.dir");
        if (dir == null) {
            return null;
        }
        Path archive = Path.of(dir).resolve("aclImdb_v1.tar.gz");
        return Files.isRegularFile(archive) ? archive : null;
    }

    /**
     * Reads the archive once: every training review counts towards the vocabulary; {@code trainSize} training and
     * {@code testSize} test reviews, half positive, are drawn with a fixed seed.
     */
    public static RealData load(Path archive, int trainSize, int testSize, long seed) {
        Map<String, Long> counts = new HashMap<>();
        List<RawReview> train = new ArrayList<>();
        List<RawReview> test = new ArrayList<>();
        long started = System.nanoTime();
        try {
            AclImdbReader.of(archive).read(EnumSet.of(ImdbSplit.TRAIN, ImdbSplit.TEST), review -> {
                if (review.split() == ImdbSplit.TRAIN) {
                    Vocabulary.count(counts, Tokenizer.tokenize(review.text()));
                    train.add(review);
                } else {
                    test.add(review);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Vocabulary vocabulary = Vocabulary.fromCounts(Preprocessing.defaults(Tokenizer.NAME), counts);
        LOG.info("read {} train and {} test reviews in {} ms", train.size(), test.size(),
                (System.nanoTime() - started) / 1_000_000);
        return new RealData(vocabulary, balancedSample(train, trainSize, seed), balancedSample(test, testSize, seed + 1));
    }

    private static List<RawReview> balancedSample(List<RawReview> all, int size, long seed) {
        List<RawReview> shuffled = new ArrayList<>(all);
        Collections.shuffle(shuffled, new Random(seed));
        List<RawReview> out = new ArrayList<>(size);
        int positives = 0;
        int negatives = 0;
        for (RawReview r : shuffled) {
            if (r.label() == 1 && positives < size / 2) {
                positives++;
                out.add(r);
            } else if (r.label() == 0 && negatives < size - size / 2) {
                negatives++;
                out.add(r);
            }
            if (out.size() == size) {
                break;
            }
        }
        return out;
    }

    /** The padded token ids of reviews, as the ingestor publishes them. */
    public int[][] tokens(List<RawReview> reviews) {
        return reviews.stream().map(r -> vocabulary.encodeText(r.text())).toArray(int[][]::new);
    }

    public static int[] labels(List<RawReview> reviews) {
        return reviews.stream().mapToInt(RawReview::label).toArray();
    }

    /**
     * Trains the notebook's architecture, narrower (e.g. embedding 16, BiLSTM 16: about 60x cheaper), on the
     * training sample and returns its serving artifact; validation loss and accuracy are measured on the test sample.
     */
    public ModelArtifact trainArtifact(String modelId, int width, int epochs, double learningRate, long seed) {
        NetworkConfig base = NetworkConfig.notebook(EmbeddingVariant.RANDOM)
                .withDimensions(vocabulary.size(), width, width, 16)
                .withOptimizer(learningRate, 0.004);
        // BatchNorm's running statistics with momentum 0.9 instead of the notebook's 0.99: a few dozen updates leave
        // the 0.99 average mostly at its initial (0, 1), far from the real steps' statistics, and inference uses it.
        NetworkConfig config = new NetworkConfig(base.vocabSize(), base.embeddingDim(), base.lstmUnits(),
                base.denseUnits(), base.lstmDropout(), base.denseDropout(), 0.9, base.bnEpsilon(), base.learningRate(),
                base.weightDecay(), base.adamEpsilon(), base.variant(), base.trainableEmbeddings(), base.lstmImpl());
        MultiLayerNetwork net = SentimentNetwork.build(config, seed, null);
        int[][] tokens = tokens(train);
        int[] labels = labels(train);
        long started = System.nanoTime();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            double loss = 0;
            int batches = 0;
            for (int from = 0; from < tokens.length; from += 32) {
                loss += Training.fit(net, Batches.dataSet(tokens, labels, from, Math.min(tokens.length, from + 32), 0));
                batches++;
            }
            LOG.info("epoch {}: train loss {}", epoch, String.format("%.4f", loss / batches));
        }
        Inference.Evaluation eval = Inference.evaluate(net, tokens(test), labels(test), 0);
        LOG.info("trained {} on {} reviews x {} epochs in {} s: test loss {}, accuracy {}", modelId, tokens.length,
                epochs, (System.nanoTime() - started) / 1_000_000_000, eval.loss(), eval.accuracy());
        ModelArtifacts.Description d = new ModelArtifacts.Description(modelId, "random", train.size(), seed,
                "scorer-it", "job-" + modelId, "aclImdb-test", vocabulary,
                new Hyperparameters(epochs, 32, learningRate, 0.004, 5, true, 1, test.size(), false),
                Map.of("valLoss", eval.loss(), "valAccuracy", eval.accuracy(), "testAccuracy", eval.accuracy()),
                Map.of("source", "RealData"));
        return ModelArtifacts.encode(net, d, config, System.currentTimeMillis());
    }
}
