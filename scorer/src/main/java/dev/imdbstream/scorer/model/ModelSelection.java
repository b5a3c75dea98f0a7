package dev.imdbstream.scorer.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.imdbstream.scorer.config.ScorerConfig.Selection;

/**
 * Chooses the scoring models among the known artifacts. Pure: the same candidates give the same models, in a stable
 * order (variant, subset size, model id).
 */
public final class ModelSelection {

    /** Lower validation loss first; on a tie the newer artifact, then the smaller id. */
    static final Comparator<ModelInfo> BEST_FIRST = Comparator.comparingDouble(ModelInfo::valLoss)
            .thenComparing(Comparator.comparingLong(ModelInfo::createdAtMs).reversed())
            .thenComparing(ModelInfo::modelId);

    private static final Comparator<ModelInfo> DISPLAY_ORDER = Comparator
            .comparing((ModelInfo m) -> Objects.toString(m.variant(), ""))
            .thenComparingInt(ModelInfo::subsetSize)
            .thenComparing(ModelInfo::modelId);

    private final Selection mode;
    private final List<String> listed;

    public ModelSelection(Selection mode, List<String> listed) {
        this.mode = mode;
        this.listed = List.copyOf(new LinkedHashSet<>(listed));
        if (mode == Selection.LISTED && this.listed.isEmpty()) {
            throw new IllegalArgumentException("scorer.selection=listed needs scorer.model-ids");
        }
    }

    public List<ModelInfo> select(Collection<ModelInfo> candidates) {
        List<ModelInfo> chosen = switch (mode) {
            case BEST_PER_VARIANT -> bestPerVariant(candidates);
            case BEST_PER_CELL -> bestPer(candidates, m -> m.variant() + "\u0000" + m.subsetSize());
            case LISTED -> candidates.stream().filter(m -> listed.contains(m.modelId())).toList();
        };
        List<ModelInfo> sorted = new ArrayList<>(chosen);
        sorted.sort(DISPLAY_ORDER);
        return sorted;
    }

    private static List<ModelInfo> bestPerVariant(Collection<ModelInfo> candidates) {
        Map<String, Integer> largest = new HashMap<>();
        for (ModelInfo m : candidates) {
            largest.merge(Objects.toString(m.variant(), ""), m.subsetSize(), Math::max);
        }
        List<ModelInfo> atLargest = candidates.stream()
                .filter(m -> m.subsetSize() == largest.get(Objects.toString(m.variant(), ""))).toList();
        return bestPer(atLargest, m -> Objects.toString(m.variant(), ""));
    }

    private static List<ModelInfo> bestPer(Collection<ModelInfo> candidates,
            java.util.function.Function<ModelInfo, String> group) {
        Map<String, ModelInfo> best = new HashMap<>();
        for (ModelInfo m : candidates) {
            best.merge(group.apply(m), m, (a, b) -> BEST_FIRST.compare(a, b) <= 0 ? a : b);
        }
        return new ArrayList<>(best.values());
    }
}
