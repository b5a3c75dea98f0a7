package dev.imdbstream.trainer.run;

import java.util.List;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;

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
 * data set was ingested without them), then an L2-regularised logistic regression (liblinear's primal solver, intercept not regularised) for
 * each strength of {@link #C_GRID}, chosen on the validation reviews ({@link ValidationGrid}). The network
 * hyperparameters of the job (epochs, batch, learning rate, patience) do not apply;
 * the subset, validation and test reviews are the same as every other variant's of the seed. Deterministic.
 */
final class TfidfLogRegTrainer {

    /** Inverse regularisation strengths tried (liblinear's C: larger fits the training subset more closely). */
    static final double[] C_GRID = {0.1, 0.3, 1, 3, 10, 30, 100};
    /** A term is kept when it occurs in at least this many training reviews. */
    static final int MIN_DF = 2;
    /** liblinear's stopping tolerance. */
    private static final double EPSILON = 1e-4;

    static {
        Linear.disableDebugOutput();
    }

    /**
     * @param metrics the run's one "epoch": training and validation loss and accuracy of the chosen model
     * @param grid    every strength tried, in grid order
     */
    record Outcome(TfidfLogisticModel model, double c, EpochMetrics metrics, List<ValidationGrid.Candidate> grid,
            double trainSeconds) {

        /** The ids of {@code examples} that the model reads ({@link TfidfLogisticModel#input()}). */
        int[][] inputs(RunData.Examples examples) {
            return TfidfLogRegTrainer.inputs(examples, model.input());
        }

        /** The grid as provenance: {@code C:valAccuracy:valLoss} per strength. */
        String gridSummary() {
            return ValidationGrid.summary(grid);
        }
    }

    private TfidfLogRegTrainer() {
    }

    static Outcome train(TrainingJob job, Preprocessing preprocessing, RunData data, Cancellation cancellation)
            throws RunFailedException, CancelledException {
        long started = System.nanoTime();
        int[] labels = data.train().labels();
        if (labels.length == 0 || java.util.Arrays.stream(labels).distinct().count() < 2) {
            throw new RunFailedException("tfidf-logreg needs reviews of both labels in the training subset");
        }
        Input input = data.train().allTokens() != null && data.validation().allTokens() != null
                && data.test().allTokens() != null ? Input.WHOLE_REVIEW : Input.PADDED_SEQUENCE;
        TfidfFeaturizer featurizer = TfidfFeaturizer.fit(inputs(data.train(), input), preprocessing, MIN_DF);
        TfidfFeaturizer.Row[] training = rows(featurizer, inputs(data.train(), input));
        Problem problem = problem(featurizer, training, labels);
        TfidfFeaturizer.Row[] validation = rows(featurizer, inputs(data.validation(), input));

        ValidationGrid.Choice<TfidfLogisticModel> choice = ValidationGrid.choose(C_GRID,
                c -> fit(featurizer, input, problem, c), m -> probabilities(m, validation), data.validation().labels(),
                cancellation);
        TfidfLogisticModel best = choice.model();
        ValidationGrid.Candidate bestCandidate = choice.best();
        double[] train = probabilities(best, training);
        double seconds = (System.nanoTime() - started) / 1e9;
        EpochMetrics metrics = new EpochMetrics(EpochMetrics.VERSION, job.jobId(), job.experimentId(), job.variant(),
                job.subsetSize(), job.seed(), 1, 1, Evaluation.logLoss(train, labels), Evaluation.accuracy(train, labels),
                bestCandidate.valLoss(), bestCandidate.valAccuracy(), seconds, true, System.currentTimeMillis());
        return new Outcome(best, bestCandidate.c(), metrics, choice.grid(), seconds);
    }

    /** The liblinear problem: one row per review, with the intercept as the last column (value 1). */
    private static Problem problem(TfidfFeaturizer featurizer, TfidfFeaturizer.Row[] rows, int[] labels) {
        Problem problem = new Problem();
        problem.l = rows.length;
        problem.n = featurizer.size() + 1;
        problem.bias = 1;
        problem.x = new Feature[rows.length][];
        problem.y = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            TfidfFeaturizer.Row row = rows[i];
            Feature[] x = new Feature[row.indexes().length + 1];
            for (int k = 0; k < row.indexes().length; k++) {
                x[k] = new FeatureNode(row.indexes()[k] + 1, row.values()[k]); // liblinear counts columns from 1
            }
            x[x.length - 1] = new FeatureNode(problem.n, problem.bias);
            problem.x[i] = x;
            problem.y[i] = labels[i];
        }
        return problem;
    }

    private static int[][] inputs(RunData.Examples examples, Input input) {
        return input == Input.WHOLE_REVIEW ? examples.allTokens() : examples.tokens();
    }

    private static TfidfLogisticModel fit(TfidfFeaturizer featurizer, Input input, Problem problem, double c) {
        Parameter parameter = new Parameter(SolverType.L2R_LR, c, EPSILON);
        parameter.setRegularizeBias(false);
        Model model = Linear.train(problem, parameter);
        double[] w = model.getFeatureWeights();
        // liblinear's decision value is positive for its first label (the first review's): make it the positive class.
        double sign = model.getLabels()[0] == 1 ? 1 : -1;
        double[] weights = new double[featurizer.size()];
        for (int j = 0; j < weights.length; j++) {
            weights[j] = sign * w[j];
        }
        return new TfidfLogisticModel(featurizer, input, weights, sign * w[featurizer.size()] * problem.bias);
    }

    private static TfidfFeaturizer.Row[] rows(TfidfFeaturizer featurizer, int[][] sequences) {
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
