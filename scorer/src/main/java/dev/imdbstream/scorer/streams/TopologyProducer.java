package dev.imdbstream.scorer.streams;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import dev.imdbstream.common.kafka.Topics;
import dev.imdbstream.common.schema.ModelArtifact;
import dev.imdbstream.scorer.config.ScorerConfig;
import dev.imdbstream.scorer.input.ReviewParser;
import dev.imdbstream.scorer.metrics.ScorerMetrics;
import dev.imdbstream.scorer.model.ModelRegistry;
import dev.imdbstream.scorer.model.ReviewScorer;

/**
 * Builds the scorer's topology, the only one of the service:
 * <pre>
 *  models (compacted) ──► [models-registry] ──► global store scorer-models ──► ModelRegistry
 *  reviews ──► [score] (+ store scorer-pending) ──┬─► predictions   one Prediction per good review
 *                                                 └─► reviews.dlq   one DeadLetter per bad review
 * </pre>
 * Keys of {@code reviews} are copied unchanged to both outputs, so a review's prediction lands in the partition
 * of its key, in input order.
 */
@ApplicationScoped
public class TopologyProducer {

    public static final String REVIEWS_TOPIC = Topics.REVIEWS.name();
    public static final String PREDICTIONS_TOPIC = Topics.PREDICTIONS.name();
    public static final String DLQ_TOPIC = Topics.REVIEWS_DLQ.name();
    public static final String MODELS_TOPIC = Topics.MODELS.name();

    /** Global store: every artifact of the {@code models} topic by model id. */
    public static final String MODELS_STORE = "scorer-models";
    /** Per-task store: reviews accepted but not yet scored (micro-batch, or waiting for a model). */
    public static final String PENDING_STORE = "scorer-pending";

    static final String MODELS_SOURCE = "models-source";
    static final String MODELS_PROCESSOR = "models-registry";
    static final String REVIEWS_SOURCE = "reviews-source";
    static final String SCORER = "score";
    static final String PREDICTIONS_SINK = "predictions-sink";
    static final String DLQ_SINK = "dlq-sink";

    private final ScorerConfig config;
    private final ModelRegistry registry;
    private final ScorerMetrics metrics;
    private final InferenceRunner inference;
    private final Intake intake;

    @Inject
    public TopologyProducer(ScorerConfig config, ModelRegistry registry, ScorerMetrics metrics, Intake intake) {
        this.config = config;
        this.registry = registry;
        this.metrics = metrics;
        this.intake = intake;
        this.inference = new InferenceRunner(config.inferenceThread());
    }

    /** Inference passes started and not yet collected by a stream thread (tests wait for 0). */
    public int passesInFlight() {
        return inference.passesInFlight();
    }

    /** Stops the inference threads once their passes are done; later passes run on the stream threads. */
    @PreDestroy
    void close() {
        inference.close();
    }

    @Produces
    @Singleton
    public Topology topology() {
        Topology topology = new Topology();
        addModels(topology);
        addScoring(topology);
        addOutputs(topology);
        return topology;
    }

    private void addModels(Topology topology) {
        StoreBuilder<KeyValueStore<String, ModelArtifact>> store = Stores
                .keyValueStoreBuilder(Stores.persistentKeyValueStore(MODELS_STORE), Serdes.String(),
                        Topics.MODELS.valueSerde())
                // A global store is restored from its source topic; it has no changelog of its own.
                .withLoggingDisabled();
        topology.addGlobalStore(store, MODELS_SOURCE, Topics.MODELS.keySerde().deserializer(),
                Topics.MODELS.valueSerde().deserializer(), MODELS_TOPIC, MODELS_PROCESSOR,
                () -> new ModelsProcessor(registry));
    }

    private void addScoring(Topology topology) {
        topology.addSource(REVIEWS_SOURCE, Topics.REVIEWS.keySerde().deserializer(),
                Topics.REVIEWS.valueSerde().deserializer(), REVIEWS_TOPIC);
        ReviewParser parser = new ReviewParser(config.maxReviewBytes());
        ReviewScorer scorer = new ReviewScorer(metrics);
        // One micro-batch (and inference lane) per stream thread, shared by the tasks it runs.
        ThreadLocal<MicroBatcher> batchers = ThreadLocal.withInitial(() -> new MicroBatcher(scorer,
                config.batchSize(), config.noModel(), inference.lane()));
        topology.addProcessor(SCORER,
                () -> new ScoringProcessor(config, parser, batchers::get, registry, metrics, intake), REVIEWS_SOURCE);
        StoreBuilder<KeyValueStore<Long, PendingReview>> pending = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(PENDING_STORE), Serdes.Long(), PendingReview.SERDE);
        topology.addStateStore(pending, SCORER);
    }

    private void addOutputs(Topology topology) {
        topology.addSink(PREDICTIONS_SINK, PREDICTIONS_TOPIC, Topics.PREDICTIONS.keySerde().serializer(),
                Topics.PREDICTIONS.valueSerde().serializer(), SCORER);
        topology.addSink(DLQ_SINK, DLQ_TOPIC, Topics.REVIEWS_DLQ.keySerde().serializer(),
                Topics.REVIEWS_DLQ.valueSerde().serializer(), SCORER);
    }
}
