package dev.imdbstream.scorer.model;

import dev.imdbstream.common.schema.ModelArtifact;
import dev.imdbstream.common.text.Vocabulary;
import dev.imdbstream.model.ModelArtifacts;
import dev.imdbstream.model.ServingModel;
import dev.imdbstream.model.tfidf.TfidfLogisticModel;

/**
 * A loaded model as the scorer uses it: the vocabulary its reviews are encoded with, how a review's text becomes the
 * model's input, and probabilities of inputs. {@link #load} dispatches on {@link ModelArtifact#format()}.
 */
public interface ScoringModel {

    /** The weight formats this scorer reads. */
    static boolean readable(String format) {
        return ModelArtifacts.FORMAT.equals(format) || TfidfLogisticModel.FORMAT.equals(format);
    }

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
        return new Network(ServingModel.load(artifact));
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
}
