package dev.imdbstream.scorer.model;

import dev.imdbstream.common.schema.ModelArtifact;
import dev.imdbstream.common.text.Vocabulary;
import dev.imdbstream.model.ModelArtifacts;
import dev.imdbstream.model.ServingModel;
import dev.imdbstream.model.tfidf.TfidfLogisticModel;

/**
 * A loaded model as the scorer uses it: the vocabulary and padding its reviews are encoded with, and probabilities of
 * padded sequences. {@link #load} dispatches on {@link ModelArtifact#format()}.
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

    /** Probabilities of padded sequences that {@link #vocabulary()} validates. */
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
        public double[] predict(int[][] sequences) {
            vocabulary.requireValid(sequences);
            return model.predict(sequences);
        }
    }
}
