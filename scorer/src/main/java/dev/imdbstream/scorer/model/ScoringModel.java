package dev.imdbstream.scorer.model;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import dev.imdbstream.common.schema.ModelArtifact;
import dev.imdbstream.common.text.Vocabulary;
import dev.imdbstream.encoder.SentenceEncoder;
import dev.imdbstream.model.ModelArtifacts;
import dev.imdbstream.model.ServingModel;
import dev.imdbstream.model.sentence.SentenceLogisticModel;
import dev.imdbstream.model.sentence.TfidfSentenceModel;
import dev.imdbstream.model.tfidf.TfidfLogisticModel;

/**
 * A loaded model as the scorer uses it: the vocabulary its reviews are encoded with, how a review's text becomes the
 * model's input, and probabilities of inputs. {@link #load} dispatches on {@link ModelArtifact#format()}.
 */
public interface ScoringModel {

    /** The weight formats this scorer reads. */
    static boolean readable(String format) {
        return FORMATS.contains(format);
    }

    /** The weight formats this scorer reads, for messages. */
    List<String> FORMATS = List.of(ModelArtifacts.FORMAT, TfidfLogisticModel.FORMAT, SentenceLogisticModel.FORMAT,
            TfidfSentenceModel.FORMAT);

    /**
     * @throws IllegalArgumentException if the artifact's schema version or weight format is not one this build reads,
     *                                  or its weights do not decode
     */
    static ScoringModel load(ModelArtifact artifact) {
        if (TfidfLogisticModel.FORMAT.equals(artifact.format())) {
            artifact.requireReadable(TfidfLogisticModel.FORMAT);
            return new Tfidf(new Vocabulary(artifact.preprocessing(), artifact.words()),
                    TfidfLogisticModel.decode(artifact.weights(), artifact.preprocessing()));
        }
        if (SentenceLogisticModel.FORMAT.equals(artifact.format())) {
            artifact.requireReadable(SentenceLogisticModel.FORMAT);
            SentenceLogisticModel model = SentenceLogisticModel.decode(artifact.weights());
            return new Sentence(new Vocabulary(artifact.preprocessing(), artifact.words()), model,
                    encoderOf(artifact, model));
        }
        if (TfidfSentenceModel.FORMAT.equals(artifact.format())) {
            artifact.requireReadable(TfidfSentenceModel.FORMAT);
            TfidfSentenceModel model = TfidfSentenceModel.decode(artifact.weights(), artifact.preprocessing());
            return new TfidfSentence(new Vocabulary(artifact.preprocessing(), artifact.words()), model,
                    encoderOf(artifact, model.vector()));
        }
        return new Network(ServingModel.load(artifact));
    }

    /**
     * The process' encoder that {@code vectorPart} reads.
     *
     * @throws IllegalArgumentException for an encoder this build lacks, or one whose vectors have another dimension
     */
    private static SentenceEncoder encoderOf(ModelArtifact artifact, SentenceLogisticModel vectorPart) {
        SentenceEncoder encoder = SentenceEncoder.shared(vectorPart.encoder());
        if (encoder.dimension() != vectorPart.dimension()) {
            throw new IllegalArgumentException("model " + artifact.modelId() + " reads " + vectorPart.dimension()
                    + " values, the encoder " + encoder.name() + " gives " + encoder.dimension());
        }
        return encoder;
    }

    Vocabulary vocabulary();

    /** Whether the model reads every id of a review rather than the padded sequence of {@link Vocabulary#encodeText}. */
    default boolean readsWholeReview() {
        return false;
    }

    /** The model's input for a review's text. */
    default int[] encodeText(String text) {
        return readsWholeReview() ? vocabulary().encodeAll(text) : vocabulary().encodeText(text);
    }

    /**
     * The sentence encoder through which this model reads a review's text; empty for the models of token ids. Such a
     * model scores texts with their vectors ({@link #predictTexts}) and cannot score a review sent as token ids.
     */
    default Optional<SentenceEncoder> sentenceEncoder() {
        return Optional.empty();
    }

    /** A review as a model of the text reads it: its text, and its vector from {@link #sentenceEncoder()}. */
    record EncodedText(String text, float[] vector) {
    }

    /** Probabilities of reviews' texts with their vectors, for a model with a {@link #sentenceEncoder()}. */
    default double[] predictTexts(EncodedText[] reviews) {
        throw new UnsupportedOperationException("this model reads token ids, not review texts");
    }

    /**
     * Probabilities of inputs: padded sequences that {@link Vocabulary#validate} accepts or, for a model that
     * {@link #readsWholeReview()}, ids of any length that {@link Vocabulary#validateIds} accepts.
     */
    double[] predict(int[][] sequences);

    /** The project's network ({@value ModelArtifacts#FORMAT}). */
    record Network(ServingModel model) implements ScoringModel {
        @Override
        public Vocabulary vocabulary() {
            return model.vocabulary();
        }

        @Override
        public double[] predict(int[][] sequences) {
            return model.predict(sequences);
        }
    }

    /** The classical baseline ({@value TfidfLogisticModel#FORMAT}). */
    record Tfidf(Vocabulary vocabulary, TfidfLogisticModel model) implements ScoringModel {
        @Override
        public boolean readsWholeReview() {
            return model.input() == TfidfLogisticModel.Input.WHOLE_REVIEW;
        }

        @Override
        public double[] predict(int[][] sequences) {
            if (readsWholeReview()) {
                vocabulary.requireValidIds(sequences);
            } else {
                vocabulary.requireValid(sequences);
            }
            return model.predict(sequences);
        }
    }

    /** A logistic regression on a frozen sentence encoder's vectors ({@value SentenceLogisticModel#FORMAT}). */
    record Sentence(Vocabulary vocabulary, SentenceLogisticModel model, SentenceEncoder encoder) implements ScoringModel {
        @Override
        public Optional<SentenceEncoder> sentenceEncoder() {
            return Optional.of(encoder);
        }

        @Override
        public double[] predictTexts(EncodedText[] reviews) {
            return model.predict(Arrays.stream(reviews).map(EncodedText::vector).toArray(float[][]::new));
        }

        @Override
        public double[] predict(int[][] sequences) {
            throw new IllegalArgumentException("this model reads the review's text (" + encoder.name()
                    + "), not token ids");
        }
    }

    /**
     * One logistic regression on a review's TF-IDF terms and its sentence-encoder vector
     * ({@value TfidfSentenceModel#FORMAT}): the ids come from the text as the terms part reads them.
     */
    record TfidfSentence(Vocabulary vocabulary, TfidfSentenceModel model, SentenceEncoder encoder)
            implements ScoringModel {
        @Override
        public boolean readsWholeReview() {
            return model.terms().input() == TfidfLogisticModel.Input.WHOLE_REVIEW;
        }

        @Override
        public Optional<SentenceEncoder> sentenceEncoder() {
            return Optional.of(encoder);
        }

        @Override
        public double[] predictTexts(EncodedText[] reviews) {
            int[][] ids = new int[reviews.length][];
            float[][] vectors = new float[reviews.length][];
            for (int i = 0; i < reviews.length; i++) {
                ids[i] = encodeText(reviews[i].text());
                vectors[i] = reviews[i].vector();
            }
            return model.predict(ids, vectors);
        }

        @Override
        public double[] predict(int[][] sequences) {
            throw new IllegalArgumentException("this model reads the review's text (" + encoder.name()
                    + ") besides its words, not token ids");
        }
    }
}
