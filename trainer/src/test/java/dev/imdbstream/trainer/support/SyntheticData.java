package dev.imdbstream.trainer.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import dev.imdbstream.common.kafka.Topics;
import dev.imdbstream.common.schema.EmbeddingMatrix;
import dev.imdbstream.common.schema.Preprocessing;
import dev.imdbstream.common.schema.ReviewSequence;
import dev.imdbstream.common.schema.VocabularyRecord;
import dev.imdbstream.common.text.Tokenizer;
import dev.imdbstream.common.text.Vocabulary;

/**
 * A small learnable data set in the ingestor's format, made from a fixed seed: 200 ids, sequences of 24,
 * positive reviews drawing most words from ids 3-50 and negative ones from 51-99 (the rest neutral), and
 * a "GloVe" matrix whose rows of the two word groups point in opposite directions. Published to the real
 * topics in the ingestor's order (reviews, embedding, manifest last).
 */
public final class SyntheticData {

    public static final int NUM_WORDS = 200;
    public static final int MAX_LEN = 24;
    public static final int DIM = 100;
    public static final String GLOVE = "glove.6B.100d";

    private final String datasetId;
    private final int trainSize;
    private final int testSize;
    private final List<ReviewSequence> train = new ArrayList<>();
    private final List<ReviewSequence> test = new ArrayList<>();

    public SyntheticData(String datasetId, int trainSize, int testSize, long seed) {
        this.datasetId = datasetId;
        this.trainSize = trainSize;
        this.testSize = testSize;
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < trainSize; i++) {
            train.add(review("train", i, random));
        }
        for (int i = 0; i < testSize; i++) {
            test.add(review("test", i, random));
        }
    }

    public static Preprocessing preprocessing() {
        return new Preprocessing(Tokenizer.NAME, NUM_WORDS, MAX_LEN, Preprocessing.PRE, Preprocessing.PRE, 0, 1, 2, 3);
    }

    private ReviewSequence review(String split, int index, SplittableRandom random) {
        int label = random.nextInt(2);
        int length = 6 + random.nextInt(30);
        int[] ids = new int[length + 1];
        ids[0] = 1;
        for (int t = 1; t <= length; t++) {
            double u = random.nextDouble();
            if (u < 0.35) {
                ids[t] = label == 1 ? 3 + random.nextInt(48) : 51 + random.nextInt(49);
            } else if (u < 0.45) {
                ids[t] = label == 1 ? 51 + random.nextInt(49) : 3 + random.nextInt(48);
            } else {
                ids[t] = 100 + random.nextInt(NUM_WORDS - 100);
            }
        }
        int[] padded = new Vocabulary(preprocessing(), words()).pad(ids);
        // Distinct keys per data set, so that several synthetic data sets live side by side on the topics.
        String id = split + "/" + (label == 1 ? "pos" : "neg") + "/" + datasetId + "-" + index;
        return new ReviewSequence(ReviewSequence.VERSION, id, datasetId, split, index, label, label == 1 ? 8 : 2,
                padded, ids, null);
    }

    public static List<String> words() {
        List<String> words = new ArrayList<>();
        for (int i = 3; i < NUM_WORDS; i++) {
            words.add("w" + i);
        }
        return words;
    }

    public String datasetId() {
        return datasetId;
    }

    public List<ReviewSequence> train() {
        return train;
    }

    public List<ReviewSequence> test() {
        return test;
    }

    public VocabularyRecord manifest() {
        return new VocabularyRecord(VocabularyRecord.VERSION, datasetId, preprocessing(), words(), "synthetic",
                Map.of("reviews.train", (double) trainSize, "reviews.test", (double) testSize),
                List.of(new VocabularyRecord.EmbeddingCoverage(GLOVE, 97, NUM_WORDS - 3, "synthetic")),
                System.currentTimeMillis());
    }

    public EmbeddingMatrix glove() {
        SplittableRandom random = new SplittableRandom(42);
        float[] m = new float[NUM_WORDS * DIM];
        for (int i = 0; i < NUM_WORDS; i++) {
            float sign = i >= 3 && i <= 50 ? 1f : i >= 51 && i <= 99 ? -1f : 0f;
            for (int d = 0; d < DIM; d++) {
                m[i * DIM + d] = (float) (0.1 * random.nextGaussian()) + (d < 10 ? 0.5f * sign : 0f);
            }
        }
        return EmbeddingMatrix.of(datasetId, GLOVE, NUM_WORDS, DIM, 97, 42, "synthetic", m);
    }

    /** Publishes the data set as the ingestor does: reviews, then the embedding, then the manifest. */
    public void publish(TopicIO io) {
        train.forEach(r -> io.send(Topics.TRAIN, r.id(), r));
        test.forEach(r -> io.send(Topics.TEST, r.id(), r));
        io.send(Topics.EMBEDDINGS, EmbeddingMatrix.key(datasetId, GLOVE), glove());
        io.send(Topics.VOCAB, datasetId, manifest());
    }
}
