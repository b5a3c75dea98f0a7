package dev.imdbstream.trainer.run;

import java.util.Arrays;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;

import dev.imdbstream.common.schema.EpochMetrics;
import dev.imdbstream.common.schema.TrainingJob;
import dev.imdbstream.model.sentence.SentenceLogisticModel;
import dev.imdbstream.trainer.data.RunData;
import dev.imdbstream.trainer.run.Cancellation.CancelledException;
import dev.imdbstream.trainer.run.RunTrainer.RunFailedException;

/**
 * Trains {@code minilm-logreg}: an L2-regularised logistic regression (liblinear's primal solver, intercept not
 * regularised) on the reviews' frozen sentence-encoder vectors ({@code RunData.Examples.vectors}), its strength chosen
 * on the validation reviews from {@link #C_GRID} ({@link ValidationGrid}). The encoder is not trained. The network
 * hyperparameters of the job do not apply; the subset, validation and test reviews are the same as every other
 * variant's of the seed. Deterministic.
 */
final class SentenceLogRegTrainer {

    /**
     * Inverse regularisation strengths tried: wider than the TF-IDF grid, since the 384 unit-length dimensions are
     * dense and small.
     */
    static final double[] C_GRID = {0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000};
    private static final double EPSILON = 1e-4;

    static {
        Linear.disableDebugOutput();
    }

    /** @param metrics the run's one "epoch": training and validation loss and accuracy of the chosen model */
    record Outcome(SentenceLogisticModel model, double c, EpochMetrics metrics, String grid, double trainSeconds) {
    }

    private SentenceLogRegTrainer() {
    }

    static Outcome train(TrainingJob job, String encoder, RunData data, Cancellation cancellation)
            throws RunFailedException, CancelledException {
        long started = System.nanoTime();
        int[] labels = data.train().labels();
        if (labels.length == 0 || Arrays.stream(labels).distinct().count() < 2) {
            throw new RunFailedException(job.variant() + " needs reviews of both labels in the training subset");
        }
        float[][] train = data.train().vectors();
        Problem problem = problem(train, labels);
        ValidationGrid.Choice<SentenceLogisticModel> choice = ValidationGrid.choose(C_GRID,
                c -> fit(encoder, problem, c), m -> m.predict(data.validation().vectors()), data.validation().labels(),
                cancellation);
        double[] p = choice.model().predict(train);
        double seconds = (System.nanoTime() - started) / 1e9;
        EpochMetrics metrics = new EpochMetrics(EpochMetrics.VERSION, job.jobId(), job.experimentId(), job.variant(),
                job.subsetSize(), job.seed(), 1, 1, Evaluation.logLoss(p, labels), Evaluation.accuracy(p, labels),
                choice.best().valLoss(), choice.best().valAccuracy(), seconds, true, System.currentTimeMillis());
        return new Outcome(choice.model(), choice.best().c(), metrics, ValidationGrid.summary(choice.grid()), seconds);
    }

    /** One dense row per review, the intercept as the last column (value 1). */
    private static Problem problem(float[][] vectors, int[] labels) {
        int dim = vectors[0].length;
        Problem problem = new Problem();
        problem.l = vectors.length;
        problem.n = dim + 1;
        problem.bias = 1;
        problem.x = new Feature[vectors.length][];
        problem.y = new double[vectors.length];
        for (int i = 0; i < vectors.length; i++) {
            Feature[] x = new Feature[dim + 1];
            for (int j = 0; j < dim; j++) {
                x[j] = new FeatureNode(j + 1, vectors[i][j]); // liblinear counts columns from 1
            }
            x[dim] = new FeatureNode(problem.n, problem.bias);
            problem.x[i] = x;
            problem.y[i] = labels[i];
        }
        return problem;
    }

    private static SentenceLogisticModel fit(String encoder, Problem problem, double c) {
        Parameter parameter = new Parameter(SolverType.L2R_LR, c, EPSILON);
        parameter.setRegularizeBias(false);
        Model model = Linear.train(problem, parameter);
        double[] w = model.getFeatureWeights();
        // liblinear's decision value is positive for its first label (the first review's): make it the positive class.
        double sign = model.getLabels()[0] == 1 ? 1 : -1;
        int dim = problem.n - 1;
        double[] weights = new double[dim];
        for (int j = 0; j < dim; j++) {
            weights[j] = sign * w[j];
        }
        return new SentenceLogisticModel(encoder, weights, sign * w[dim] * problem.bias);
    }
}
