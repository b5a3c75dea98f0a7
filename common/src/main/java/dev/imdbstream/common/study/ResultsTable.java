package dev.imdbstream.common.study;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.imdbstream.common.schema.TrainingResult;

/**
 * The study's table: for each subset size and variant, the test accuracy (and ROC-AUC) of the succeeded runs
 * summarised over seeds ({@link Statistics}), with the count of failed runs. Rows ordered by size, then by variant.
 * Also each variant's gain over each baseline variant the grid holds ({@link #BASELINES} unless told others), paired
 * by seed. Built from the
 * results records as the trainer's report does, or from the {@link RunsCsv} files committed under {@code results/}.
 */
public record ResultsTable(List<Cell> cells, List<Gain> gains) {

    /** The variants that gains are measured against: no pretraining, and general-purpose pretrained vectors. */
    public static final List<String> BASELINES = List.of("random", "glove");

    /** What the table needs of one run. @param succeeded false for failed and cancelled runs */
    public record Outcome(int subsetSize, String variant, long seed, boolean succeeded, double accuracy,
            double rocAuc) {

        public static Outcome of(TrainingResult r) {
            boolean ok = r.status() == TrainingResult.Status.SUCCEEDED;
            return new Outcome(r.subsetSize(), r.variant(), r.seed(), ok, ok ? r.test().accuracy() : Double.NaN,
                    ok ? r.test().rocAuc() : Double.NaN);
        }
    }

    /** One grid cell. @param seeds the seeds of the succeeded runs, in order */
    public record Cell(int subsetSize, String variant, List<Long> seeds, Statistics accuracy, Statistics rocAuc,
            int failed) {
    }

    /**
     * Test accuracy of {@code variant} minus that of {@code baseline} at one subset size, paired by seed: a seed
     * draws the same training subset and validation reviews for every variant, so the pairs share their data and
     * the difference's spread is the variant's effect, not the subsets'.
     *
     * @param seeds the seeds where both runs succeeded
     */
    public record Gain(int subsetSize, String baseline, String variant, List<Long> seeds, Statistics accuracy) {
    }

    public static ResultsTable of(List<TrainingResult> results) {
        return ofOutcomes(results.stream().map(Outcome::of).toList());
    }

    public static ResultsTable ofOutcomes(Collection<Outcome> outcomes) {
        return ofOutcomes(outcomes, BASELINES);
    }

    /** @param baselines the variants to measure gains against, in the order their tables come */
    public static ResultsTable ofOutcomes(Collection<Outcome> outcomes, List<String> baselines) {
        Map<Integer, Map<String, List<Outcome>>> grid = new TreeMap<>();
        for (Outcome r : outcomes) {
            grid.computeIfAbsent(r.subsetSize(), k -> new TreeMap<>()).computeIfAbsent(r.variant(), k -> new ArrayList<>())
                    .add(r);
        }
        List<Cell> cells = new ArrayList<>();
        grid.forEach((size, byVariant) -> byVariant.forEach((variant, runs) -> {
            List<Outcome> ok = runs.stream().filter(Outcome::succeeded).sorted(Comparator.comparingLong(Outcome::seed))
                    .toList();
            cells.add(new Cell(size, variant, ok.stream().map(Outcome::seed).toList(),
                    Statistics.of(ok.stream().map(Outcome::accuracy).toList()),
                    Statistics.of(ok.stream().map(Outcome::rocAuc).toList()), runs.size() - ok.size()));
        }));
        return new ResultsTable(List.copyOf(cells), gains(grid, baselines));
    }

    private static List<Gain> gains(Map<Integer, Map<String, List<Outcome>>> grid, List<String> baselines) {
        List<Gain> gains = new ArrayList<>();
        for (String baselineVariant : baselines.stream().distinct().toList()) {
            grid.forEach((size, byVariant) -> {
                Map<Long, Double> baseline = accuracyBySeed(byVariant.getOrDefault(baselineVariant, List.of()));
                if (baseline.isEmpty()) {
                    return;
                }
                byVariant.forEach((variant, runs) -> {
                    if (variant.equals(baselineVariant)) {
                        return;
                    }
                    Map<Long, Double> paired = new TreeMap<>(accuracyBySeed(runs));
                    paired.keySet().retainAll(baseline.keySet());
                    List<Double> differences = paired.entrySet().stream()
                            .map(e -> e.getValue() - baseline.get(e.getKey())).toList();
                    gains.add(new Gain(size, baselineVariant, variant, List.copyOf(paired.keySet()),
                            Statistics.of(differences)));
                });
            });
        }
        return List.copyOf(gains);
    }

    private static Map<Long, Double> accuracyBySeed(List<Outcome> runs) {
        Map<Long, Double> bySeed = new TreeMap<>();
        runs.stream().filter(Outcome::succeeded).forEach(r -> bySeed.put(r.seed(), r.accuracy()));
        return bySeed;
    }

    public List<String> variants() {
        return cells.stream().map(Cell::variant).distinct().sorted().toList();
    }

    public List<Integer> sizes() {
        return cells.stream().map(Cell::subsetSize).distinct().sorted().toList();
    }

    /** The baselines that have gains in this table, in the order they were asked for. */
    public List<String> baselines() {
        return gains.stream().map(Gain::baseline).distinct().toList();
    }
}
