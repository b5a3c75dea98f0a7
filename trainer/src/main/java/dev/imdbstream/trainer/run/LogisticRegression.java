package dev.imdbstream.trainer.run;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;

import dev.imdbstream.model.tfidf.TfidfFeaturizer;

/**
 * The linear variants' classifier: liblinear's L2-regularised logistic regression (primal solver, {@code L2R_LR},
 * tolerance {@value #EPSILON}) with an intercept that is not regularised. Rows are the concatenation of a review's
 * TF-IDF terms and/or its sentence-encoder vector (times a scale); columns are counted from 0 here, from 1 in
 * liblinear.
 */
final class LogisticRegression {

    private static final double EPSILON = 1e-4;

    static {
        Linear.disableDebugOutput();
    }

    /** Coefficients of the columns, and the intercept, for the positive class (label 1). */
    record Fit(double[] weights, double intercept) {
    }

    private LogisticRegression() {
    }

    /**
     * One row: the terms of {@code terms} (may be null) in columns {@code 0 .. T-1}, then {@code scale * vector} (may be
     * null) in the next columns; the intercept column is appended by {@link #problem}.
     */
    static Feature[] row(TfidfFeaturizer.Row terms, int termColumns, float[] vector, double scale) {
        int n = (terms == null ? 0 : terms.indexes().length) + (vector == null ? 0 : vector.length);
        Feature[] x = new Feature[n];
        int k = 0;
        if (terms != null) {
            for (int i = 0; i < terms.indexes().length; i++) {
                x[k++] = new FeatureNode(terms.indexes()[i] + 1, terms.values()[i]);
            }
        }
        if (vector != null) {
            for (int j = 0; j < vector.length; j++) {
                x[k++] = new FeatureNode(termColumns + j + 1, scale * vector[j]);
            }
        }
        return x;
    }

    /** The liblinear problem of {@code rows} over {@code columns} columns, with the intercept as the last column. */
    static Problem problem(Feature[][] rows, int columns, int[] labels) {
        Problem problem = new Problem();
        problem.l = rows.length;
        problem.n = columns + 1;
        problem.bias = 1;
        problem.x = new Feature[rows.length][];
        problem.y = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            Feature[] x = java.util.Arrays.copyOf(rows[i], rows[i].length + 1);
            x[x.length - 1] = new FeatureNode(problem.n, problem.bias);
            problem.x[i] = x;
            problem.y[i] = labels[i];
        }
        return problem;
    }

    static Fit fit(Problem problem, double c) {
        Parameter parameter = new Parameter(SolverType.L2R_LR, c, EPSILON);
        parameter.setRegularizeBias(false);
        Model model = Linear.train(problem, parameter);
        double[] w = model.getFeatureWeights();
        // liblinear's decision value is positive for its first label (the first review's): make it the positive class.
        double sign = model.getLabels()[0] == 1 ? 1 : -1;
        int columns = problem.n - 1;
        double[] weights = new double[columns];
        for (int j = 0; j < columns; j++) {
            weights[j] = sign * w[j];
        }
        return new Fit(weights, sign * w[columns] * problem.bias);
    }
}
