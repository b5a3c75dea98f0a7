package dev.imdbstream.trainer.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.imdbstream.common.schema.TrainingResult;

/**
 * The study's table: for each subset size and variant, the test accuracy (and ROC-AUC) of the succeeded
 * runs summarised over seeds ({@link Statistics}), with the count of failed runs. Rows ordered by size,
 * then by variant. With a {@value #BASELINE} variant in the grid, also each other variant's gain over it.
 */
public record ResultsTable(List<Cell> cells, List<Gain> gains) {

    /** The variant that the gains are measured against. */
    public static final String BASELINE = "random";

    /** One grid cell. @param seeds the seeds of the succeeded runs, in order */
    public record Cell(int subsetSize, String variant, List<Long> seeds, Statistics accuracy, Statistics rocAuc,
            int failed) {
    }

    /**
     * Test accuracy of {@code variant} minus that of {@link #BASELINE} at one subset size, paired by seed: a seed
     * draws the same training subset and validation reviews for every variant, so the pairs share their data and
     * the difference's spread is the variant's effect, not the subsets'.
     *
     * @param seeds the seeds where both runs succeeded
     */
    public record Gain(int subsetSize, String variant, List<Long> seeds, Statistics accuracy) {
    }

    public static ResultsTable of(List<TrainingResult> results) {
        Map<Integer, Map<String, List<TrainingResult>>> grid = new TreeMap<>();
        for (TrainingResult r : results) {
            grid.computeIfAbsent(r.subsetSize(), k -> new TreeMap<>()).computeIfAbsent(r.variant(), k -> new ArrayList<>()).add(r);
        }
        List<Cell> cells = new ArrayList<>();
        grid.forEach((size, byVariant) -> byVariant.forEach((variant, runs) -> {
            List<TrainingResult> ok = runs.stream().filter(r -> r.status() == TrainingResult.Status.SUCCEEDED)
                    .sorted(Comparator.comparingLong(TrainingResult::seed)).toList();
            cells.add(new Cell(size, variant, ok.stream().map(TrainingResult::seed).toList(),
                    Statistics.of(ok.stream().map(r -> r.test().accuracy()).toList()),
                    Statistics.of(ok.stream().map(r -> r.test().rocAuc()).toList()),
                    runs.size() - ok.size()));
        }));
        return new ResultsTable(List.copyOf(cells), gains(grid));
    }

    private static List<Gain> gains(Map<Integer, Map<String, List<TrainingResult>>> grid) {
        List<Gain> gains = new ArrayList<>();
        grid.forEach((size, byVariant) -> {
            Map<Long, Double> baseline = accuracyBySeed(byVariant.getOrDefault(BASELINE, List.of()));
            if (baseline.isEmpty()) {
                return;
            }
            byVariant.forEach((variant, runs) -> {
                if (variant.equals(BASELINE)) {
                    return;
                }
                Map<Long, Double> paired = new TreeMap<>(accuracyBySeed(runs));
                paired.keySet().retainAll(baseline.keySet());
                List<Double> differences = paired.entrySet().stream()
                        .map(e -> e.getValue() - baseline.get(e.getKey())).toList();
                gains.add(new Gain(size, variant, List.copyOf(paired.keySet()), Statistics.of(differences)));
            });
        });
        return List.copyOf(gains);
    }

    private static Map<Long, Double> accuracyBySeed(List<TrainingResult> runs) {
        Map<Long, Double> bySeed = new TreeMap<>();
        runs.stream().filter(r -> r.status() == TrainingResult.Status.SUCCEEDED)
                .forEach(r -> bySeed.put(r.seed(), r.test().accuracy()));
        return bySeed;
    }

    public List<String> variants() {
        return cells.stream().map(Cell::variant).distinct().sorted().toList();
    }

    public List<Integer> sizes() {
        return cells.stream().map(Cell::subsetSize).distinct().sorted().toList();
    }
}
