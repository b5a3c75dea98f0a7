package dev.imdbstream.scorer.model;

import dev.imdbstream.common.schema.ModelArtifact;

/**
 * What the registry knows about an artifact on the {@code models} topic without holding its weights.
 *
 * @param valLoss the artifact's {@code metrics.valLoss}, or +infinity when it has none (never preferred)
 */
public record ModelInfo(String modelId, String variant, int subsetSize, double valLoss, long createdAtMs) {

    public static ModelInfo of(ModelArtifact artifact) {
        Double loss = artifact.metrics() == null ? null : artifact.metrics().get("valLoss");
        return new ModelInfo(artifact.modelId(), artifact.variant(), artifact.subsetSize(),
                loss == null || loss.isNaN() ? Double.POSITIVE_INFINITY : loss, artifact.createdAtMs());
    }
}
