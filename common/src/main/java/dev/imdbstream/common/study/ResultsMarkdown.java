package dev.imdbstream.common.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The study's tables in Markdown, one format wherever they appear: the trainer's report and the README's results,
 * which {@code bin/results-tables.sh} regenerates from the files under {@code results/}.
 */
public final class ResultsMarkdown {

    private ResultsMarkdown() {
    }

    /** The answer: each variant's mean test accuracy [95% t-interval] per subset size, 3 decimals. */
    public static String answerTable(ResultsTable table) {
        StringBuilder b = new StringBuilder();
        sizeTable(b, "labelled reviews", table.sizes(), ordered(table.variants()), v -> v, (size, v) -> cell(table, size, v)
                .map(c -> c.accuracy().n() < 2 ? String.format(Locale.ROOT, "%.3f", c.accuracy().mean())
                        : String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", c.accuracy().mean(), c.accuracy().ciLow(),
                                c.accuracy().ciHigh()))
                .orElse("–"));
        return b.toString();
    }

    /** Mean ± sd [95% t-interval] (seeds) per size and variant, with failed runs. */
    public static String accuracyTable(ResultsTable table) {
        StringBuilder b = new StringBuilder();
        sizeTable(b, "subset size", table.sizes(), ordered(table.variants()), v -> v, (size, v) -> cell(table, size, v)
                .map(c -> summary(c.accuracy()) + (c.failed() > 0 ? ", " + c.failed() + " failed" : "")).orElse("–"));
        return b.toString();
    }

    /** Each variant minus {@code baseline}, paired by seed: mean ± sd [95% t-interval] (seeds); empty without it. */
    public static String gainTable(ResultsTable table, String baseline) {
        List<ResultsTable.Gain> gains = table.gains().stream().filter(g -> g.baseline().equals(baseline)).toList();
        if (gains.isEmpty()) {
            return "";
        }
        List<String> variants = ordered(gains.stream().map(ResultsTable.Gain::variant).distinct().toList());
        StringBuilder b = new StringBuilder();
        sizeTable(b, "subset size", table.sizes(), variants, v -> v + " − " + baseline, (size, v) -> gains.stream()
                .filter(g -> g.subsetSize() == size && g.variant().equals(v)).findFirst()
                .map(g -> signed(g.accuracy())).orElse("–"));
        return b.toString();
    }

    /** Mean ± sd [low, high] (n seeds). */
    public static String summary(Statistics s) {
        if (s.n() == 0) {
            return "–";
        }
        if (s.n() == 1) {
            return String.format(Locale.ROOT, "%.4f (1 seed)", s.mean());
        }
        return String.format(Locale.ROOT, "%.4f ± %.4f [%.4f, %.4f] (%d seeds)", s.mean(), s.sd(), s.ciLow(),
                s.ciHigh(), s.n());
    }

    /** A difference: +mean ± sd [low, high] (n seeds). */
    public static String signed(Statistics s) {
        if (s.n() == 0) {
            return "–";
        }
        if (s.n() == 1) {
            return String.format(Locale.ROOT, "%+.4f (1 seed)", s.mean());
        }
        return String.format(Locale.ROOT, "%+.4f ± %.4f [%+.4f, %+.4f] (%d seeds)", s.mean(), s.sd(), s.ciLow(),
                s.ciHigh(), s.n());
    }

    /** The baselines first, in {@link ResultsTable#BASELINES} order, then the other variants by name. */
    static List<String> ordered(List<String> variants) {
        List<String> out = new ArrayList<>(ResultsTable.BASELINES.stream().filter(variants::contains).toList());
        variants.stream().filter(v -> !out.contains(v)).sorted().forEach(out::add);
        return out;
    }

    private static java.util.Optional<ResultsTable.Cell> cell(ResultsTable table, int size, String variant) {
        return table.cells().stream().filter(c -> c.subsetSize() == size && c.variant().equals(variant)).findFirst();
    }

    /** A Markdown table with a row per subset size and a column per variant. */
    private static void sizeTable(StringBuilder b, String first, List<Integer> sizes, List<String> variants,
            Function<String, String> header, BiFunction<Integer, String, String> cell) {
        b.append("| ").append(first).append(" |");
        variants.forEach(v -> b.append(' ').append(header.apply(v)).append(" |"));
        b.append("\n|---|");
        variants.forEach(v -> b.append("---|"));
        b.append('\n');
        for (int size : sizes) {
            b.append("| ").append(size).append(" |");
            variants.forEach(v -> b.append(' ').append(cell.apply(size, v)).append(" |"));
            b.append('\n');
        }
    }
}
