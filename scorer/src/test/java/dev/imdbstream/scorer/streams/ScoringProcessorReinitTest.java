package dev.imdbstream.scorer.streams;

import static dev.imdbstream.scorer.WireBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.imdbstream.common.schema.ModelArtifact;
import dev.imdbstream.common.schema.Prediction;
import dev.imdbstream.scorer.TestConfig;
import dev.imdbstream.scorer.TestModels;
import dev.imdbstream.scorer.input.ReviewParser;
import dev.imdbstream.scorer.metrics.ScorerMetrics;
import dev.imdbstream.scorer.model.ModelRegistry;
import dev.imdbstream.scorer.model.ReviewScorer;

/**
 * Kafka Streams re-initialises the same {@link ScoringProcessor} instance when it revives a corrupted task (a broker
 * outage under exactly-once does this) or gets a task back: its store then holds what the changelog restored, and the
 * inputs after the last commit are read again. A test driver never does this, so the processor runs here on a
 * {@link MockProcessorContext} with a real in-memory store.
 */
class ScoringProcessorReinitTest {

    private static final ModelArtifact MODEL = TestModels.artifact("random-500-a", "random", 500, 0.40, 1_000);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ScorerMetrics metrics = new ScorerMetrics(meters);
    private final TestConfig config = TestConfig.defaults().withInferenceThread(false);
    private final ModelRegistry registry = new ModelRegistry(config, metrics);
    private final MockProcessorContext<byte[], Object> context = new MockProcessorContext<>();
    private KeyValueStore<Long, PendingReview> store;
    private ScoringProcessor processor;

    @BeforeEach
    void setUp() {
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(TopologyProducer.PENDING_STORE),
                Serdes.Long(), PendingReview.SERDE).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        MicroBatcher batcher = new MicroBatcher(new ReviewScorer(metrics), config.batchSize(), config.noModel(),
                new InferenceRunner(false).lane());
        processor = new ScoringProcessor(config, new ReviewParser(config.maxReviewBytes()), () -> batcher, registry,
                metrics, new Intake(registry, metrics));
    }

    @Test
    void shouldRebuildItsQueueFromTheRestoredStoreWhenReinitialised() {
        registry.offer(MODEL, id -> MODEL);
        processor.init(context);
        for (int offset = 0; offset < 6; offset++) {
            process(offset); // 0-3 fill a micro-batch and are scored at once; 4 and 5 wait for the next one
        }
        assertThat(predictedIds()).containsExactly("r0", "r1", "r2", "r3");
        assertThat(pendingKeys()).containsExactly(4L, 5L);

        // Corrupted before its first commit: closed dirty, the store wiped and restored (empty), the outputs aborted,
        // and every input read again by the same processor instance.
        processor.close();
        deleteAll();
        context.resetForwards();
        processor.init(context);
        for (int offset = 0; offset < 6; offset++) {
            process(offset);
        }
        tickUntilIdle();

        assertThat(predictedIds()).containsExactly("r0", "r1", "r2", "r3", "r4", "r5");
        assertThat(pendingKeys()).isEmpty();
        assertThat(meters.get("scorer.pending.reviews").gauge().value()).isZero();
    }

    @Test
    void shouldKeepTheRestoredReviewsInOrderAheadOfTheReReadOnes() {
        processor.init(context); // no model yet: reviews wait in the store
        for (int offset = 0; offset < 3; offset++) {
            process(offset);
        }
        // Revived with offsets 0 and 1 committed (in the restored store) and 2 to be read again.
        processor.close();
        store.delete(2L);
        processor.init(context);
        process(2);
        process(3);
        registry.offer(MODEL, id -> MODEL);
        tickUntilIdle();

        assertThat(predictedIds()).containsExactly("r0", "r1", "r2", "r3");
        assertThat(pendingKeys()).isEmpty();
        assertThat(meters.get("scorer.pending.reviews").gauge().value()).isZero();
    }

    private void process(long offset) {
        context.setRecordMetadata(TopologyProducer.REVIEWS_TOPIC, 0, offset);
        processor.process(new Record<>(bytes("k" + offset),
                bytes("{\"id\":\"r" + offset + "\",\"text\":\"a great film\"}"), 1_000 + offset));
    }

    private void tickUntilIdle() {
        var punctuator = context.scheduledPunctuators().get(context.scheduledPunctuators().size() - 1);
        for (int i = 0; i < 2 * MicroBatcher.MAX_TICKS; i++) {
            punctuator.getPunctuator().punctuate(System.currentTimeMillis());
        }
    }

    private List<String> predictedIds() {
        return context.forwarded(TopologyProducer.PREDICTIONS_SINK).stream()
                .map(f -> ((Prediction) f.record().value()).id()).toList();
    }

    private List<Long> pendingKeys() {
        List<Long> keys = new ArrayList<>();
        try (KeyValueIterator<Long, PendingReview> all = store.all()) {
            all.forEachRemaining(kv -> keys.add(kv.key));
        }
        return keys;
    }

    private void deleteAll() {
        List<KeyValue<Long, PendingReview>> all = new ArrayList<>();
        try (KeyValueIterator<Long, PendingReview> it = store.all()) {
            it.forEachRemaining(all::add);
        }
        all.forEach(kv -> store.delete(kv.key));
    }
}
