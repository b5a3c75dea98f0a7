package dev.imdbstream.scorer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.imdbstream.scorer.config.ScorerConfig.Selection;

class ModelSelectionTest {

    private static final List<ModelInfo> MODELS = List.of(
            new ModelInfo("r100", "random", 100, 0.30, 1),
            new ModelInfo("r1000-a", "random", 1000, 0.50, 2),
            new ModelInfo("r1000-b", "random", 1000, 0.45, 3),
            new ModelInfo("g500", "glove", 500, 0.40, 4),
            new ModelInfo("g500-tie-newer", "glove", 500, 0.40, 5),
            new ModelInfo("g500-no-loss", "glove", 500, Double.POSITIVE_INFINITY, 6));

    @Test
    void shouldPickTheLowestValidationLossPerVariantAmongItsLargestSubsetSize() {
        List<ModelInfo> chosen = new ModelSelection(Selection.BEST_PER_VARIANT, List.of()).select(MODELS);

        assertThat(chosen).extracting(ModelInfo::modelId).containsExactly("g500-tie-newer", "r1000-b");
    }

    @Test
    void shouldPickTheBestModelOfEveryVariantAndSubsetSize() {
        List<ModelInfo> chosen = new ModelSelection(Selection.BEST_PER_CELL, List.of()).select(MODELS);

        assertThat(chosen).extracting(ModelInfo::modelId).containsExactly("g500-tie-newer", "r100", "r1000-b");
    }

    @Test
    void shouldPickExactlyTheListedModelsThatArrived() {
        List<ModelInfo> chosen = new ModelSelection(Selection.LISTED, List.of("r100", "missing", "g500"))
                .select(MODELS);

        assertThat(chosen).extracting(ModelInfo::modelId).containsExactly("g500", "r100");
    }

    @Test
    void shouldSelectNothingBeforeAnyModelArrives() {
        assertThat(new ModelSelection(Selection.BEST_PER_VARIANT, List.of()).select(List.of())).isEmpty();
    }

    @Test
    void shouldRefuseAListedSelectionWithoutIds() {
        assertThatThrownBy(() -> new ModelSelection(Selection.LISTED, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scorer.model-ids");
    }
}
