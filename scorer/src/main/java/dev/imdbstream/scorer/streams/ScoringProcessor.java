package dev.imdbstream.scorer.streams;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.imdbstream.common.schema.DeadLetter;
import dev.imdbstream.common.schema.Prediction;
import dev.imdbstream.scorer.config.ScorerConfig;
import dev.imdbstream.scorer.config.ScorerConfig.NoModelPolicy;
import dev.imdbstream.scorer.input.ParseResult;
import dev.imdbstream.scorer.input.Rejection;
import dev.imdbstream.scorer.input.ReviewParser;
import dev.imdbstream.scorer.input.ReviewRequest;
import dev.imdbstream.scorer.metrics.ScorerMetrics;
import dev.imdbstream.scorer.model.ModelRegistry;
import dev.imdbstream.scorer.model.ReviewScorer;

/**
 * Consumes raw {@code reviews} records of one partition (task) and forwards exactly one record per input, with the
 * input's key and timestamp: a {@link Prediction} to the predictions sink or a {@link DeadLetter} to the DLQ sink.
 *
 * <p>Unparseable input is dead-lettered at once. A good review is written to the changelogged
 * {@code scorer-pending} store and queued in its stream thread's {@link MicroBatcher}, which scores full batches at
 * once and partial ones at its wall-clock ticks (see there). Outcomes come back through {@link #ready}; this task forwards them in arrival order and
 * deletes them from its store in the same step. Because waiting reviews are state, not memory, exactly-once holds:
 * a commit covers the input offsets together with the store's changelog, so after a crash or a rebalance a review
 * is either already predicted or still pending, and is then queued again.
 *
 * <p>At most three batches' worth of a task's reviews are queued or being scored at a time; a backlog (reviews
 * that arrived before any model, or faster than they can be scored) waits in the store. The store itself is bounded
 * by back-pressure: a task holding {@code scorer.max-pending} reviews scores before it takes the next one, and while
 * reviews wait for a model it has the scorer stop reading ({@link Intake}), so a backlog stays on {@code reviews}
 * rather than in memory.
 *
 * <p>Kafka Streams re-initialises the same processor after a task was corrupted or migrated: {@link #init} rebuilds
 * every field from the store, and outcomes of passes started before go to the previous {@link Incarnation} and are
 * dropped.
 */
final class ScoringProcessor implements Processor<byte[], byte[], byte[], Object> {

    private static final Logger LOG = LoggerFactory.getLogger(ScoringProcessor.class);

    /** Longest a punctuation keeps scoring a backlog before it lets the thread commit and poll. */
    private static final long PUNCTUATION_BUDGET_NANOS = 2_000_000_000L;
    /** Longest a full task waits for one inference pass before it lets the thread commit and poll. */
    private static final long BACKPRESSURE_WAIT_NANOS = 10_000_000_000L;
    private static final Duration MIN_TICK = Duration.ofMillis(1);
    /** Batches' worth of a task's reviews queued or under way: enough for every pass in flight and the next one. */
    private static final int QUEUED_BATCHES = MicroBatcher.MAX_IN_FLIGHT + 1;
    /** Dead letters keep the original value up to this size, below the DLQ topic's record limit. */
    static final int DLQ_MAX_VALUE_BYTES = 8 * 1024 * 1024;

    /** An outcome waiting to be forwarded in order. */
    private record Ready(PendingReview review, ReviewScorer.Outcome outcome) {
    }

    private final ScorerConfig config;
    private final ReviewParser parser;
    private final Supplier<MicroBatcher> batchers;
    private final ModelRegistry registry;
    private final ScorerMetrics metrics;
    private final Intake intake;

    private ProcessorContext<byte[], Object> context;
    private KeyValueStore<Long, PendingReview> pending;
    private MicroBatcher batcher;
    private Incarnation incarnation;
    /** Pending keys are consecutive: reviews join at {@code nextSequence} and leave from {@code firstSequence}. */
    private long firstSequence;
    private long nextSequence;
    /** Reviews from {@code firstSequence} up to here are queued in the batcher or ready. */
    private long queuedUpTo;
    private int queued;
    private long pendingCount;
    private final Map<Long, Ready> ready = new HashMap<>();

    ScoringProcessor(ScorerConfig config, ReviewParser parser, Supplier<MicroBatcher> batchers, ModelRegistry registry,
            ScorerMetrics metrics, Intake intake) {
        this.config = config;
        this.parser = parser;
        this.batchers = batchers;
        this.registry = registry;
        this.metrics = metrics;
        this.intake = intake;
    }

    /** This task between one {@link #init} and the next: the batcher hands its outcomes here. */
    private final class Incarnation implements MicroBatcher.Owner {
        @Override
        public void ready(long sequence, PendingReview review, ReviewScorer.Outcome outcome) {
            if (incarnation == this) {
                ScoringProcessor.this.ready(sequence, review, outcome);
            }
        }
    }

    @Override
    public void init(ProcessorContext<byte[], Object> context) {
        this.context = context;
        this.pending = context.getStateStore(TopologyProducer.PENDING_STORE);
        this.batcher = batchers.get();
        incarnation = new Incarnation();
        batcher.register(incarnation);
        firstSequence = 0;
        nextSequence = 0;
        queued = 0;
        pendingCount = 0;
        ready.clear();
        // Reviews restored from the changelog (after a crash or a rebalance) keep their place in the queue.
        try (KeyValueIterator<Long, PendingReview> all = pending.all()) {
            while (all.hasNext()) {
                long key = all.next().key;
                if (pendingCount++ == 0) {
                    firstSequence = key;
                }
                nextSequence = key + 1;
            }
        }
        queuedUpTo = firstSequence;
        if (pendingCount > 0) {
            LOG.info("task {}: {} reviews restored from the pending store", context.taskId(), pendingCount);
        }
        metrics.pendingChanged(pendingCount);
        Duration tick = config.batchMaxWait().dividedBy(4);
        context.schedule(tick.compareTo(MIN_TICK) < 0 ? MIN_TICK : tick, PunctuationType.WALL_CLOCK_TIME, this::tick);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        metrics.reviewReceived();
        RecordMetadata source = context.recordMetadata().orElseThrow();
        ParseResult parsed = parser.parse(record.value());
        if (parsed instanceof Rejection rejection) {
            deadLetter(record.key(), record.value(), source.topic(), source.partition(), source.offset(),
                    record.timestamp(), rejection);
            return;
        }
        long sequence = nextSequence++;
        PendingReview review = new PendingReview(record.key(), record.value(), source.topic(), source.partition(),
                source.offset(), record.timestamp());
        pending.put(sequence, review);
        pendingCount++;
        metrics.pendingChanged(1);
        if (queuedUpTo == sequence && canQueue()) {
            // The common case, no backlog: queue the review as parsed, without reading it back.
            batcher.offer(incarnation, sequence, review, (ReviewRequest) parsed);
            queuedUpTo++;
            queued++;
        } else {
            queueFromStore();
        }
        batcher.scoreFull(registry.current());
        forwardReady();
        applyBackpressure();
    }

    /**
     * Keeps the pending store at most {@code scorer.max-pending} reviews: with a model, scores on this thread until
     * there is room (the thread reads the next review only then); without one, has the scorer stop reading until a
     * model is loaded.
     */
    private void applyBackpressure() {
        long started = 0;
        while (pendingCount >= config.maxPending()) {
            var models = registry.current();
            if (models.isEmpty() && config.noModel() == NoModelPolicy.WAIT) {
                intake.pauseUntilModel(context.taskId().toString(), pendingCount);
                break;
            }
            if (started == 0) {
                started = System.nanoTime();
            }
            queueFromStore();
            if (!batcher.awaitPass(models, BACKPRESSURE_WAIT_NANOS)) {
                break;
            }
            forwardReady();
        }
        if (started != 0) {
            metrics.backpressure(System.nanoTime() - started);
        }
    }

    private void ready(long sequence, PendingReview review, ReviewScorer.Outcome outcome) {
        ready.put(sequence, new Ready(review, outcome));
        queued--;
    }

    @Override
    public void close() {
        // Queued reviews stay in the pending store, for whichever task instance restores it next.
        batcher.forget(incarnation);
        incarnation = null;
        metrics.pendingChanged(-pendingCount);
        pendingCount = 0;
        ready.clear();
    }

    private void tick(long now) {
        queueFromStore();
        batcher.tick(incarnation, registry.current(), PUNCTUATION_BUDGET_NANOS);
        forwardReady();
        // A backlog in the store (reviews that waited for a model) moves up by a batch per task and tick.
        queueFromStore();
    }

    private boolean canQueue() {
        return queued < QUEUED_BATCHES * config.batchSize()
                && !(registry.current().isEmpty() && config.noModel() == NoModelPolicy.WAIT);
    }

    /** Queues the oldest pending reviews that are not queued yet, up to {@link #QUEUED_BATCHES} batches per task. */
    private void queueFromStore() {
        while (queuedUpTo < nextSequence && canQueue()) {
            long sequence = queuedUpTo++;
            PendingReview review = pending.get(sequence);
            if (review == null) {
                throw new IllegalStateException("task " + context.taskId() + ": pending review " + sequence
                        + " is not in the store (pending " + firstSequence + ".." + (nextSequence - 1) + ")");
            }
            ParseResult parsed = parser.parse(review.value());
            if (parsed instanceof ReviewRequest request) {
                batcher.offer(incarnation, sequence, review, request);
                queued++;
            } else {
                // Only when the parser's limits changed since it was accepted (a restart with a new config).
                ready.put(sequence, new Ready(review, new ReviewScorer.Outcome(null, (Rejection) parsed)));
            }
        }
    }

    /** Forwards the outcomes that are next in arrival order, removing their reviews from the pending store. */
    private void forwardReady() {
        Ready next;
        while ((next = ready.remove(firstSequence)) != null) {
            PendingReview review = next.review();
            if (next.outcome().scored()) {
                context.forward(new Record<>(review.key(), next.outcome().prediction(), review.timestampMs()),
                        TopologyProducer.PREDICTIONS_SINK);
                metrics.predicted(next.outcome().prediction());
            } else {
                deadLetter(review.key(), review.value(), review.topic(), review.partition(), review.offset(),
                        review.timestampMs(), next.outcome().rejection());
            }
            // put(null), not delete(): the same tombstone, without reading back and deserializing the old value.
            pending.put(firstSequence, null);
            firstSequence++;
            pendingCount--;
            metrics.pendingChanged(-1);
        }
    }

    private void deadLetter(byte[] key, byte[] value, String topic, int partition, long offset, long timestamp,
            Rejection rejection) {
        String error = rejection.message();
        byte[] kept = value;
        if (value != null && value.length > DLQ_MAX_VALUE_BYTES) {
            kept = Arrays.copyOf(value, DLQ_MAX_VALUE_BYTES);
            error += " (value truncated to its first " + DLQ_MAX_VALUE_BYTES + " of " + value.length + " bytes)";
        }
        DeadLetter letter = new DeadLetter(DeadLetter.VERSION, error, topic, partition, offset, key, kept,
                System.currentTimeMillis());
        context.forward(new Record<>(key, letter, timestamp), TopologyProducer.DLQ_SINK);
        metrics.rejected(rejection.reason());
    }
}
