package dev.imdbstream.trainer.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.imdbstream.trainer.run.Cancellation.CancelledException;

/**
 * Chooses the settings of a linear variant on the validation reviews: a model is fitted for each setting of a grid
 * (a regularisation strength, or a strength and a feature scale), and the one with the best validation accuracy wins,
 * ties by the lower validation loss, then by the earlier setting in the grid.
 */
final class ValidationGrid {

    /** One setting of the grid, measured on the validation reviews. */
    record Candidate(String setting, double valAccuracy, double valLoss) {
    }

    /** The chosen setting and model, and every setting tried, in grid order. */
    record Choice<S, M>(S setting, M model, Candidate best, List<Candidate> grid) {

        /** The grid as provenance: {@code setting:valAccuracy:valLoss} per setting. */
        String summary() {
            return grid.stream().map(g -> String.format(Locale.ROOT, "%s:%.4f:%.4f", g.setting(), g.valAccuracy(),
                    g.valLoss())).collect(Collectors.joining(","));
        }
    }

    private ValidationGrid() {
    }

    /** The strengths of {@code grid} as settings. */
    static List<Double> strengths(double[] grid) {
        List<Double> out = new ArrayList<>(grid.length);
        for (double c : grid) {
            out.add(c);
        }
        return out;
    }

    /**
     * @param fit        the model of one setting
     * @param validation a model's probabilities of the validation reviews
     */
    static <S, M> Choice<S, M> choose(List<S> grid, Function<S, M> fit, Function<M, double[]> validation,
            int[] validationLabels, Cancellation cancellation) throws CancelledException {
        S bestSetting = null;
        M best = null;
        Candidate bestCandidate = null;
        List<Candidate> tried = new ArrayList<>(grid.size());
        for (S setting : grid) {
            cancellation.check();
            M model = fit.apply(setting);
            double[] p = validation.apply(model);
            Candidate candidate = new Candidate(String.valueOf(setting), Evaluation.accuracy(p, validationLabels),
                    Evaluation.logLoss(p, validationLabels));
            tried.add(candidate);
            if (bestCandidate == null || candidate.valAccuracy() > bestCandidate.valAccuracy()
                    || candidate.valAccuracy() == bestCandidate.valAccuracy() && candidate.valLoss() < bestCandidate.valLoss()) {
                bestSetting = setting;
                best = model;
                bestCandidate = candidate;
            }
        }
        return new Choice<>(bestSetting, best, bestCandidate, List.copyOf(tried));
    }
}
