package dev.imdbstream.trainer.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.imdbstream.trainer.run.Cancellation.CancelledException;

/**
 * Chooses the regularisation of a linear variant on the validation reviews: a model is fitted for each strength of
 * a grid, and the one with the best validation accuracy wins, ties by the lower validation loss, then by the earlier
 * strength in the grid.
 */
final class ValidationGrid {

    /** One strength of the grid, measured on the validation reviews. */
    record Candidate(double c, double valAccuracy, double valLoss) {
    }

    /** The chosen model and every strength tried, in grid order. */
    record Choice<M>(M model, Candidate best, List<Candidate> grid) {
    }

    /** A grid as provenance: {@code C:valAccuracy:valLoss} per strength. */
    static String summary(List<Candidate> grid) {
        return grid.stream().map(g -> String.format(Locale.ROOT, "%s:%.4f:%.4f", g.c(), g.valAccuracy(), g.valLoss()))
                .collect(Collectors.joining(","));
    }

    private ValidationGrid() {
    }

    /**
     * @param fit        the model of one strength
     * @param validation a model's probabilities of the validation reviews
     */
    static <M> Choice<M> choose(double[] grid, DoubleFunction<M> fit, Function<M, double[]> validation,
            int[] validationLabels, Cancellation cancellation) throws CancelledException {
        M best = null;
        Candidate bestCandidate = null;
        List<Candidate> tried = new ArrayList<>(grid.length);
        for (double c : grid) {
            cancellation.check();
            M model = fit.apply(c);
            double[] p = validation.apply(model);
            Candidate candidate = new Candidate(c, Evaluation.accuracy(p, validationLabels),
                    Evaluation.logLoss(p, validationLabels));
            tried.add(candidate);
            if (bestCandidate == null || candidate.valAccuracy() > bestCandidate.valAccuracy()
                    || candidate.valAccuracy() == bestCandidate.valAccuracy() && candidate.valLoss() < bestCandidate.valLoss()) {
                best = model;
                bestCandidate = candidate;
            }
        }
        return new Choice<>(best, bestCandidate, List.copyOf(tried));
    }
}
