package dev.imdbstream.trainer.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.imdbstream.common.kafka.Json;
import dev.imdbstream.common.schema.TrainingJob;
import dev.imdbstream.common.schema.TrainingResult;
import dev.imdbstream.common.study.ResultsCsv;
import dev.imdbstream.common.study.ResultsMarkdown;
import dev.imdbstream.common.study.ResultsTable;

/**
 * Writes one experiment's report into a folder: {@code index.html} and {@code report.md} (results table,
 * plots, per-run table, failures), {@code results.csv} (grid cells: mean, sd and 95% t-interval over seeds),
 * {@code runs.csv} (one line a run), {@code report.json} (everything, including each run's epochs) and the
 * PNG plots ({@link Charts}).
 */
public final class ReportWriter {

    private ReportWriter() {
    }

    /** What a report is written from. */
    public record Experiment(String experimentId, String datasetId, List<TrainingJob> jobs,
            List<TrainingResult> results) {
    }

    public static Path write(Experiment e, Path folder) throws IOException {
        Files.createDirectories(folder);
        List<TrainingResult> results = e.results().stream()
                .sorted(Comparator.comparingInt(TrainingResult::subsetSize).thenComparing(TrainingResult::variant)
                        .thenComparingLong(TrainingResult::seed))
                .toList();
        List<TrainingResult> succeeded = results.stream().filter(r -> r.status() == TrainingResult.Status.SUCCEEDED).toList();
        ResultsTable table = ResultsTable.of(results);

        List<String> images = new ArrayList<>();
        if (!succeeded.isEmpty()) {
            Charts.comparison(table, results, folder.resolve("comparison.png"));
            images.add("comparison.png");
        }
        for (TrainingResult r : results) {
            if (!r.history().isEmpty()) {
                Charts.learningCurves(r.history(), label(r), folder.resolve(file("curves", r)));
            }
            if (r.status() == TrainingResult.Status.SUCCEEDED) {
                Charts.confusion(r.test().confusion(), label(r) + " confusion (test)", folder.resolve(file("confusion", r)));
            }
        }
        for (int size : table.sizes()) {
            Map<String, TrainingResult.PrCurve> curves = new LinkedHashMap<>();
            for (TrainingResult r : succeeded) {
                if (r.subsetSize() == size) {
                    curves.put(r.variant() + " seed " + r.seed(), r.test().prCurve());
                }
            }
            if (!curves.isEmpty()) {
                Charts.prCurves(curves, "Precision-recall on the test set (Sample Size: " + size + ")",
                        folder.resolve("pr-n" + size + ".png"));
            }
        }

        Files.writeString(folder.resolve("results.csv"), ResultsCsv.cells(table), StandardCharsets.UTF_8);
        Files.writeString(folder.resolve("runs.csv"), ResultsCsv.runs(results), StandardCharsets.UTF_8);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("experimentId", e.experimentId());
        json.put("datasetId", e.datasetId());
        json.put("runs", e.jobs().size());
        json.put("hyperparameters", e.jobs().isEmpty() ? null : e.jobs().get(0).hyperparameters());
        json.put("table", table.cells());
        json.put("gains", table.gains());
        json.put("results", results);
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(folder.resolve("report.json").toFile(), json);
        String markdown = markdown(e, table, results);
        Files.writeString(folder.resolve("report.md"), markdown, StandardCharsets.UTF_8);
        Files.writeString(folder.resolve("index.html"), html(e, table, results), StandardCharsets.UTF_8);
        return folder;
    }

    static String label(TrainingResult r) {
        return (r.variant().startsWith("random") ? "Random Embedding" : "Pretrained Embedding (" + r.variant() + ")")
                + " (" + r.subsetSize() + " samples, seed " + r.seed() + ")";
    }

    static String file(String kind, TrainingResult r) {
        return kind + "-" + r.variant() + "-n" + r.subsetSize() + "-s" + r.seed() + ".png";
    }

    private static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
    }

    static String markdown(Experiment e, ResultsTable table, List<TrainingResult> results) {
        StringBuilder b = new StringBuilder();
        b.append("# Experiment ").append(e.experimentId()).append("\n\n");
        b.append("Data set `").append(e.datasetId()).append("`; ").append(results.size()).append(" of ")
                .append(e.jobs().size()).append(" runs finished");
        long failed = results.stream().filter(r -> r.status() == TrainingResult.Status.FAILED).count();
        long cancelled = results.stream().filter(r -> r.status() == TrainingResult.Status.CANCELLED).count();
        if (failed > 0 || cancelled > 0) {
            b.append(" (").append(failed > 0 ? failed + " failed" : "")
                    .append(failed > 0 && cancelled > 0 ? ", " : "")
                    .append(cancelled > 0 ? cancelled + " cancelled: the experiment was cancelled" : "").append(")");
        }
        b.append(".\n\n");
        if (!e.jobs().isEmpty()) {
            var h = e.jobs().get(0).hyperparameters();
            b.append(String.format(Locale.ROOT, "Hyperparameters: up to %d epochs, batch %d, AdamW learning rate %s, "
                    + "weight decay %s, patience %d, %s embeddings, %s training subsets, %d validation reviews, "
                    + "%s test reviews.%n%n",
                    h.maxEpochs(), h.batchSize(), plain(h.learningRate()), plain(h.weightDecay()), h.patience(),
                    h.trainableEmbeddings() ? "trainable" : "frozen",
                    h.balancedSubsets() ? "label-balanced" : "randomly drawn", h.validationSize(),
                    h.testSize() == 0 ? "all" : Integer.toString(h.testSize())));
        }
        b.append("## Test accuracy by subset size and variant\n\n");
        b.append("Mean ± sample standard deviation over seeds, [95% t-interval of the mean].\n\n");
        b.append(ResultsMarkdown.accuracyTable(table));
        for (String baseline : table.baselines()) {
            b.append("\n## Gain over ").append(baseline).append("\n\n");
            b.append("Test accuracy minus that of `").append(baseline).append("` for the same seed (the same training "
                    + "subset and validation reviews): mean ± sd [95% t-interval]. An interval above 0 is a gain that "
                    + "these seeds show clearly; one below 0, a loss.\n\n");
            b.append(ResultsMarkdown.gainTable(table, baseline));
        }
        b.append("\n![comparison](comparison.png)\n\n## Runs\n\n");
        b.append("| run | status | epochs (best) | test accuracy | ROC-AUC | F1 neg / pos | confusion [[tn, fp], [fn, tp]] | seconds |\n");
        b.append("|---|---|---|---|---|---|---|---|\n");
        for (TrainingResult r : results) {
            b.append("| ").append(r.jobId()).append(" | ").append(r.status()).append(" | ").append(r.epochsRun())
                    .append(" (").append(r.bestEpoch()).append(") | ");
            if (r.test() != null) {
                var t = r.test();
                b.append(f(t.accuracy())).append(" | ").append(f(t.rocAuc())).append(" | ")
                        .append(f(t.perClass().get(0).f1())).append(" / ").append(f(t.perClass().get(1).f1())).append(" | ")
                        .append("[[").append(t.confusion()[0][0]).append(", ").append(t.confusion()[0][1]).append("], [")
                        .append(t.confusion()[1][0]).append(", ").append(t.confusion()[1][1]).append("]] | ");
            } else {
                b.append(" |  |  |  | ");
            }
            b.append(String.format(Locale.ROOT, "%.0f", r.trainSeconds())).append(" |\n");
        }
        List<TrainingResult> failures = results.stream().filter(r -> r.status() == TrainingResult.Status.FAILED).toList();
        if (!failures.isEmpty()) {
            b.append("\n## Failed runs\n\n");
            failures.forEach(r -> b.append("- ").append(r.jobId()).append(": ").append(r.error()).append('\n'));
        }
        b.append("\n## Learning curves\n\n");
        results.stream().filter(r -> !r.history().isEmpty())
                .forEach(r -> b.append("![").append(r.jobId()).append("](").append(file("curves", r)).append(")\n\n"));
        b.append("## Confusion matrices (test set, threshold 0.5)\n\n");
        results.stream().filter(r -> r.status() == TrainingResult.Status.SUCCEEDED)
                .forEach(r -> b.append("![").append(r.jobId()).append("](").append(file("confusion", r)).append(") "));
        b.append("\n\n## Precision-recall curves (test set)\n\n");
        table.sizes().forEach(s -> b.append("![n=").append(s).append("](pr-n").append(s).append(".png)\n\n"));
        b.append("Data: [results.csv](results.csv), [runs.csv](runs.csv), [report.json](report.json)\n");
        return b.toString();
    }

    static String html(Experiment e, ResultsTable table, List<TrainingResult> results) {
        // The Markdown rendered by CommonMark (with GitHub tables) into a page of its own.
        return MarkdownHtml.page("Experiment " + e.experimentId(), markdown(e, table, results));
    }
}
