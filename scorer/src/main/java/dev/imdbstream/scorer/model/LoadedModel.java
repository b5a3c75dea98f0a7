package dev.imdbstream.scorer.model;

/**
 * A selected model, ready to score.
 *
 * @param encoder index (in its snapshot) of the first model with the same vocabulary and preprocessing: models
 *                that share one encode each review once
 */
public record LoadedModel(ModelInfo info, ScoringModel model, int encoder) {
}
