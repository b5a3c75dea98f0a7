package dev.imdbstream.trainer.run;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.Problem;

import dev.imdbstream.common.schema.EpochMetrics;
import dev.imdbstream.common.schema.Preprocessing;
import dev.imdbstream.common.schema.TrainingJob;
import dev.imdbstream.model.tfidf.TfidfFeaturizer;
import dev.imdbstream.model.tfidf.TfidfLogisticModel;
import dev.imdbstream.model.tfidf.TfidfLogisticModel.Input;
import dev.imdbstream.trainer.data.RunData;
import dev.imdbstream.trainer.run.Cancellation.CancelledException;
import dev.imdbstream.trainer.run.RunTrainer.RunFailedException;

/**
 * Trains the classical baseline {@code tfidf-logreg} on a run's data: {@link TfidfFeaturizer} fitted on the training
 * subset only, of the whole reviews (every id, {@code ReviewSequence.allTokens}; the padded sequences only where the
 * data set was ingested without them), then {@link LogisticRegression} for each strength of {@link #C_GRID}, chosen on
 * the validation reviews ({@link ValidationGrid}). The network hyperparameters of the job (epochs, batch, learning
 * rate, patience) do not apply; the subset, validation and test reviews are the same as every other variant's of the
 * seed. Deterministic.
 */
final class TfidfLogRegTrainer {

    /** Inverse regularisation strengths tried (liblinear's C: larger fits the training subset more closely). */
    static final double[] C_GRID = {0.1, 0.3, 1, 3, 10, 30, 100};
    /** A term is kept when it occurs in at least this many training reviews. */
    static final int MIN_DF = 2;

    /**
     * @param metrics the run's one "epoch": training and validation loss and accuracy of the chosen model
     * @param grid    every strength tried, as provenance ({@link ValidationGrid.Choice#summary})
     */
    record Outcome(TfidfLogisticModel model, double c, EpochMetrics metrics, String grid, double trainSeconds) {

        /** The ids of {@code examples} that the model reads ({@link TfidfLogisticModel#input()}). */
        int[][] inputs(RunData.Examples examples) {
            return TfidfLogRegTrainer.inputs(examples, model.input());
        }
    }

    private TfidfLogRegTrainer() {
    }

    static Outcome train(TrainingJob job, Preprocessing preprocessing, RunData data, Cancellation cancellation)
            throws RunFailedException, CancelledException {
        long started = System.nanoTime();
        requireBothLabels(job, data);
        Input input = input(data);
        TfidfFeaturizer featurizer = TfidfFeaturizer.fit(inputs(data.train(), input), preprocessing, MIN_DF);
        TfidfFeaturizer.Row[] training = rows(featurizer, inputs(data.train(), input));
        TfidfFeaturizer.Row[] validation = rows(featurizer, inputs(data.validation(), input));
        Feature[][] x = new Feature[training.length][];
        for (int i = 0; i < x.length; i++) {
            x[i] = LogisticRegression.row(training[i], featurizer.size(), null, 0);
        }
        Problem problem = LogisticRegression.problem(x, featurizer.size(), data.train().labels());
        ValidationGrid.Choice<Double, TfidfLogisticModel> choice = ValidationGrid.choose(
                ValidationGrid.strengths(C_GRID), c -> {
                    LogisticRegression.Fit fit = LogisticRegression.fit(problem, c);
                    return new TfidfLogisticModel(featurizer, input, fit.weights(), fit.intercept());
                }, m -> probabilities(m, validation), data.validation().labels(), cancellation);
        double[] train = probabilities(choice.model(), training);
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Outcome(choice.model(), choice.setting(), metrics(job, data, choice, train, seconds),
                choice.summary(), seconds);
    }

    /** @throws RunFailedException when the training subset lacks a label (no classifier can be fitted) */
    static void requireBothLabels(TrainingJob job, RunData data) throws RunFailedException {
        int[] labels = data.train().labels();
        if (labels.length == 0 || java.util.Arrays.stream(labels).distinct().count() < 2) {
            throw new RunFailedException(job.variant() + " needs reviews of both labels in the training subset");
        }
    }

    /** Every id of the reviews where all of the run's reviews have them, else the padded sequences. */
    static Input input(RunData data) {
        return data.train().allTokens() != null && data.validation().allTokens() != null
                && data.test().allTokens() != null ? Input.WHOLE_REVIEW : Input.PADDED_SEQUENCE;
    }

    /** The run's one "epoch": the chosen model's training metrics and its validation measurement. */
    static EpochMetrics metrics(TrainingJob job, RunData data, ValidationGrid.Choice<?, ?> choice, double[] train,
            double seconds) {
        int[] labels = data.train().labels();
        return new EpochMetrics(EpochMetrics.VERSION, job.jobId(), job.experimentId(), job.variant(),
                job.subsetSize(), job.seed(), 1, 1, Evaluation.logLoss(train, labels), Evaluation.accuracy(train, labels),
                choice.best().valLoss(), choice.best().valAccuracy(), seconds, true, System.currentTimeMillis());
    }

    static int[][] inputs(RunData.Examples examples, Input input) {
        return input == Input.WHOLE_REVIEW ? examples.allTokens() : examples.tokens();
    }

    static TfidfFeaturizer.Row[] rows(TfidfFeaturizer featurizer, int[][] sequences) {
        TfidfFeaturizer.Row[] rows = new TfidfFeaturizer.Row[sequences.length];
        for (int i = 0; i < sequences.length; i++) {
            rows[i] = featurizer.features(sequences[i]);
        }
        return rows;
    }

    private static double[] probabilities(TfidfLogisticModel model, TfidfFeaturizer.Row[] rows) {
        double[] p = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            p[i] = model.probability(rows[i]);
        }
        return p;
    }
}
