package dev.imdbstream.scorer.api;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.imdbstream.common.kafka.Topics;
import dev.imdbstream.scorer.config.ScorerConfig;
import dev.imdbstream.scorer.input.ParseResult;
import dev.imdbstream.scorer.input.Rejection;
import dev.imdbstream.scorer.input.ReviewParser;
import dev.imdbstream.scorer.input.ReviewRequest;
import dev.imdbstream.scorer.metrics.ScorerMetrics;
import dev.imdbstream.scorer.model.ModelRegistry;
import dev.imdbstream.scorer.model.ModelSnapshot;
import dev.imdbstream.scorer.model.ReviewScorer;

/**
 * {@code POST /score}: scores one review given in the body exactly as it would be on the {@code reviews} topic
 * ({@code {"id", "text"}} or {@code {"id", "tokens"}}, optional {@code label}), with the same parser, models and
 * scorer as the stream. Answers the {@code Prediction} JSON (200), the rejection reason (400), or 503 while no model
 * is loaded; 413 for a body larger than {@code scorer.max-review-bytes} (refused by the HTTP layer before it is read) and
 * 429 beyond {@code scorer.max-concurrent-scores} requests at once ({@link ScoreSlots}). Nothing is written to Kafka and
 * the stream's metrics are not touched.
 */
@Path("/score")
public class ScoreResource {

    private final ReviewParser parser;
    private final ReviewScorer scorer;
    private final ModelRegistry registry;
    private final ScoreSlots slots;

    @Inject
    public ScoreResource(ScorerConfig config, ModelRegistry registry, ScoreSlots slots) {
        this.parser = new ReviewParser(config.maxReviewBytes());
        // Hand-made requests must not count as stream traffic (batch sizes, inference times).
        this.scorer = new ReviewScorer(ScorerMetrics.detached());
        this.registry = registry;
        this.slots = slots;
    }

    @POST
    @Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN, MediaType.WILDCARD})
    @Produces(MediaType.APPLICATION_JSON)
    public Response score(byte[] body) {
        if (!slots.tryAcquire()) {
            return Response.status(429).header("Retry-After", "1").type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("reason", "too_many_requests", "error", "the scorer is answering as many requests"
                            + " as it may at once (scorer.max-concurrent-scores): try again shortly"))
                    .build();
        }
        try {
            return scoreOne(body);
        } finally {
            slots.release();
        }
    }

    private Response scoreOne(byte[] body) {
        long receivedAt = System.currentTimeMillis();
        ParseResult parsed = parser.parse(body);
        if (parsed instanceof Rejection rejection) {
            return error(Response.Status.BAD_REQUEST, rejection);
        }
        ModelSnapshot snapshot = registry.current();
        if (snapshot.isEmpty()) {
            return Response.status(Response.Status.SERVICE_UNAVAILABLE).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("reason", "no_model", "error", "no model loaded yet")).build();
        }
        ReviewScorer.Outcome outcome = scorer.score(snapshot, List.of((ReviewRequest) parsed), new long[] {receivedAt})
                .get(0);
        if (!outcome.scored()) {
            return error(Response.Status.BAD_REQUEST, outcome.rejection());
        }
        return Response.ok(Topics.PREDICTIONS.valueSerde().serializer().serialize(Topics.PREDICTIONS.name(),
                outcome.prediction())).build();
    }

    private static Response error(Response.Status status, Rejection rejection) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("reason", rejection.reason().code(), "error", rejection.message())).build();
    }
}
