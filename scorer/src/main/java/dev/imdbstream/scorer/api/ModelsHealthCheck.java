package dev.imdbstream.scorer.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.imdbstream.scorer.config.ScorerConfig;
import dev.imdbstream.scorer.model.ModelRegistry;
import dev.imdbstream.scorer.model.ModelSnapshot;

/**
 * Readiness data about the models at {@code /q/health/ready}: which models score now and how many are known. Up
 * without a model too: the stream keeps accepting reviews then (they wait or go to the DLQ, per
 * {@code scorer.no-model}); Kafka Streams' own checks cover the stream's state.
 */
@Readiness
@ApplicationScoped
public class ModelsHealthCheck implements HealthCheck {

    private final ModelRegistry registry;
    private final ScorerConfig config;

    @Inject
    public ModelsHealthCheck(ModelRegistry registry, ScorerConfig config) {
        this.registry = registry;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        ModelSnapshot snapshot = registry.current();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("scorer-models").up()
                .withData("scoring", String.join(",", snapshot.modelIds()))
                .withData("selected", snapshot.models().size())
                .withData("known", registry.candidates().size())
                .withData("selection", config.selection().name())
                .withData("noModel", config.noModel().name());
        return response.build();
    }
}
