package dev.imdbstream.scorer.model;

import dev.imdbstream.model.ServingModel;

/**
 * A selected model, ready to score.
 *
 * @param encoder index (in its snapshot) of the first model with the same vocabulary and preprocessing: models
 *                that share one encode each review once
 */
public record LoadedModel(ModelInfo info, ServingModel model, int encoder) {
}
