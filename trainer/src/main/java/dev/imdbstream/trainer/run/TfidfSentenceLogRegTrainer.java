package dev.imdbstream.trainer.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.Problem;

import dev.imdbstream.common.schema.EpochMetrics;
import dev.imdbstream.common.schema.Preprocessing;
import dev.imdbstream.common.schema.TrainingJob;
import dev.imdbstream.model.sentence.SentenceLogisticModel;
import dev.imdbstream.model.sentence.TfidfSentenceModel;
import dev.imdbstream.model.tfidf.TfidfFeaturizer;
import dev.imdbstream.model.tfidf.TfidfLogisticModel;
import dev.imdbstream.model.tfidf.TfidfLogisticModel.Input;
import dev.imdbstream.trainer.data.RunData;
import dev.imdbstream.trainer.run.Cancellation.CancelledException;
import dev.imdbstream.trainer.run.RunTrainer.RunFailedException;

/**
 * Trains {@code tfidf-minilm-logreg}: one {@link LogisticRegression} on each review's TF-IDF terms (fitted on the
 * training subset, as {@link TfidfLogRegTrainer}) and its frozen sentence-encoder vector times a scale, side by side.
 * The scale (how much the 384 dense dimensions weigh against the sparse unit-length term row) and the strength are
 * chosen together on the validation reviews ({@link ValidationGrid}) from {@link #SCALES} x
 * {@link TfidfLogRegTrainer#C_GRID}. Deterministic.
 */
final class TfidfSentenceLogRegTrainer {

    /**
     * Scales of the vector tried, 1/16 to 1: both the term row and the vector have unit length, but the vector's is
     * spread over 384 dense values, every one informative.
     */
    static final double[] SCALES = {0.0625, 0.125, 0.25, 0.5, 1};

    /** One point of the grid. */
    record Setting(double scale, double c) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s/%s", scale, c);
        }
    }

    /** @param metrics the run's one "epoch": training and validation loss and accuracy of the chosen model */
    record Outcome(TfidfSentenceModel model, Setting setting, EpochMetrics metrics, String grid, double trainSeconds) {

        /** The ids of {@code examples} that the model's terms part reads. */
        int[][] inputs(RunData.Examples examples) {
            return TfidfLogRegTrainer.inputs(examples, model.terms().input());
        }
    }

    private TfidfSentenceLogRegTrainer() {
    }

    static Outcome train(TrainingJob job, Preprocessing preprocessing, String encoder, RunData data,
            Cancellation cancellation) throws RunFailedException, CancelledException {
        long started = System.nanoTime();
        TfidfLogRegTrainer.requireBothLabels(job, data);
        Input input = TfidfLogRegTrainer.input(data);
        TfidfFeaturizer featurizer = TfidfFeaturizer.fit(TfidfLogRegTrainer.inputs(data.train(), input), preprocessing,
                TfidfLogRegTrainer.MIN_DF);
        TfidfFeaturizer.Row[] training = TfidfLogRegTrainer.rows(featurizer, TfidfLogRegTrainer.inputs(data.train(), input));
        TfidfFeaturizer.Row[] validation = TfidfLogRegTrainer.rows(featurizer,
                TfidfLogRegTrainer.inputs(data.validation(), input));
        float[][] vectors = data.train().vectors();
        int terms = featurizer.size();
        int dim = vectors[0].length;

        List<Setting> grid = new ArrayList<>();
        for (double scale : SCALES) {
            for (double c : TfidfLogRegTrainer.C_GRID) {
                grid.add(new Setting(scale, c));
            }
        }
        // The grid runs scale by scale: one problem at a time (at n=10,000 one holds millions of features).
        Map<Double, Problem> current = new HashMap<>(1);
        ValidationGrid.Choice<Setting, TfidfSentenceModel> choice = ValidationGrid.choose(grid, s -> {
            if (!current.containsKey(s.scale())) {
                current.clear();
                Feature[][] x = new Feature[training.length][];
                for (int i = 0; i < x.length; i++) {
                    x[i] = LogisticRegression.row(training[i], terms, vectors[i], s.scale());
                }
                current.put(s.scale(), LogisticRegression.problem(x, terms + dim, data.train().labels()));
            }
            Problem problem = current.get(s.scale());
            LogisticRegression.Fit fit = LogisticRegression.fit(problem, s.c());
            double[] u = new double[dim];
            for (int j = 0; j < dim; j++) {
                u[j] = s.scale() * fit.weights()[terms + j]; // the scale folded in: serving reads the raw vector
            }
            return new TfidfSentenceModel(
                    new TfidfLogisticModel(featurizer, input, Arrays.copyOf(fit.weights(), terms), fit.intercept()),
                    new SentenceLogisticModel(encoder, u, 0));
        }, m -> probabilities(m, validation, data.validation().vectors()), data.validation().labels(), cancellation);
        double[] p = probabilities(choice.model(), training, vectors);
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Outcome(choice.model(), choice.setting(), TfidfLogRegTrainer.metrics(job, data, choice, p, seconds),
                choice.summary(), seconds);
    }

    private static double[] probabilities(TfidfSentenceModel model, TfidfFeaturizer.Row[] rows, float[][] vectors) {
        double[] p = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            p[i] = model.probability(rows[i], vectors[i]);
        }
        return p;
    }
}
