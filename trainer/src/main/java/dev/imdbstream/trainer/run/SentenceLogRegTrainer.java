package dev.imdbstream.trainer.run;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.Problem;

import dev.imdbstream.common.schema.EpochMetrics;
import dev.imdbstream.common.schema.TrainingJob;
import dev.imdbstream.model.sentence.SentenceLogisticModel;
import dev.imdbstream.trainer.data.RunData;
import dev.imdbstream.trainer.run.Cancellation.CancelledException;
import dev.imdbstream.trainer.run.RunTrainer.RunFailedException;

/**
 * Trains {@code minilm-logreg}: {@link LogisticRegression} on the reviews' frozen sentence-encoder vectors
 * ({@code RunData.Examples.vectors}), its strength chosen on the validation reviews from {@link #C_GRID}
 * ({@link ValidationGrid}). The encoder is not trained. The network hyperparameters of the job do not apply; the
 * subset, validation and test reviews are the same as every other variant's of the seed. Deterministic.
 */
final class SentenceLogRegTrainer {

    /**
     * Inverse regularisation strengths tried: wider than the TF-IDF grid, since the 384 unit-length dimensions are
     * dense and small.
     */
    static final double[] C_GRID = {0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000};

    /** @param metrics the run's one "epoch": training and validation loss and accuracy of the chosen model */
    record Outcome(SentenceLogisticModel model, double c, EpochMetrics metrics, String grid, double trainSeconds) {
    }

    private SentenceLogRegTrainer() {
    }

    static Outcome train(TrainingJob job, String encoder, RunData data, Cancellation cancellation)
            throws RunFailedException, CancelledException {
        long started = System.nanoTime();
        TfidfLogRegTrainer.requireBothLabels(job, data);
        float[][] train = data.train().vectors();
        int dim = train[0].length;
        Feature[][] x = new Feature[train.length][];
        for (int i = 0; i < x.length; i++) {
            x[i] = LogisticRegression.row(null, 0, train[i], 1);
        }
        Problem problem = LogisticRegression.problem(x, dim, data.train().labels());
        ValidationGrid.Choice<Double, SentenceLogisticModel> choice = ValidationGrid.choose(
                ValidationGrid.strengths(C_GRID), c -> {
                    LogisticRegression.Fit fit = LogisticRegression.fit(problem, c);
                    return new SentenceLogisticModel(encoder, fit.weights(), fit.intercept());
                }, m -> m.predict(data.validation().vectors()), data.validation().labels(), cancellation);
        double[] p = choice.model().predict(train);
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Outcome(choice.model(), choice.setting(), TfidfLogRegTrainer.metrics(job, data, choice, p, seconds),
                choice.summary(), seconds);
    }
}
