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
 * then by variant.
 */
public record ResultsTable(List<Cell> cells) {

    /** One grid cell. @param seeds the seeds of the succeeded runs, in order */
    public record Cell(int subsetSize, String variant, List<Long> seeds, Statistics accuracy, Statistics rocAuc,
            int failed) {
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
        return new ResultsTable(List.copyOf(cells));
    }

    public List<String> variants() {
        return cells.stream().map(Cell::variant).distinct().sorted().toList();
    }

    public List<Integer> sizes() {
        return cells.stream().map(Cell::subsetSize).distinct().sorted().toList();
    }
}
