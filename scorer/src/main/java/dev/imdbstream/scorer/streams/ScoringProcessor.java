package dev.imdbstream.scorer.streams;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.kafka.streams.KeyValue;
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
import dev.imdbstream.scorer.input.RejectReason;
import dev.imdbstream.scorer.input.Rejection;
import dev.imdbstream.scorer.input.ReviewParser;
import dev.imdbstream.scorer.input.ReviewRequest;
import dev.imdbstream.scorer.metrics.ScorerMetrics;
import dev.imdbstream.scorer.model.ModelRegistry;
import dev.imdbstream.scorer.model.ModelSnapshot;
import dev.imdbstream.scorer.model.ReviewScorer;

/**
 * Consumes raw {@code reviews} records and forwards exactly one record per input, with the input's key and
 * timestamp: a {@link Prediction} to the predictions sink or a {@link DeadLetter} to the DLQ sink.
 *
 * <p>Unparseable input is dead-lettered at once. Good reviews wait in the changelogged {@code scorer-pending} store
 * until {@code scorer.batch-size} of them are there, or {@code scorer.batch-max-wait} has passed (wall-clock
 * punctuation), and are then scored together, in arrival order. Because the waiting reviews are state, not memory,
 * exactly-once holds: a commit covers the input offsets together with the store's changelog, so after a crash a
 * review is either already predicted or still pending. Reviews that arrive before any model wait in the same store
 * (or go to the DLQ, per {@code scorer.no-model}).
 */
final class ScoringProcessor implements Processor<byte[], byte[], byte[], Object> {

    private static final Logger LOG = LoggerFactory.getLogger(ScoringProcessor.class);

    /** Longest a punctuation keeps scoring a backlog before it lets the thread commit and poll. */
    private static final long PUNCTUATION_BUDGET_NANOS = 2_000_000_000L;
    /** Dead letters keep the original value up to this size, below the DLQ topic's record limit. */
    static final int DLQ_MAX_VALUE_BYTES = 8 * 1024 * 1024;

    private final ScorerConfig config;
    private final ReviewParser parser;
    private final ReviewScorer scorer;
    private final ModelRegistry registry;
    private final ScorerMetrics metrics;

    private ProcessorContext<byte[], Object> context;
    private KeyValueStore<Long, PendingReview> pending;
    /** Pending keys are consecutive: reviews join at {@code nextSequence} and leave from {@code firstSequence}. */
    private long firstSequence;
    private long nextSequence;
    private long pendingCount;

    ScoringProcessor(ScorerConfig config, ReviewParser parser, ReviewScorer scorer, ModelRegistry registry,
            ScorerMetrics metrics) {
        this.config = config;
        this.parser = parser;
        this.scorer = scorer;
        this.registry = registry;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<byte[], Object> context) {
        this.context = context;
        this.pending = context.getStateStore(TopologyProducer.PENDING_STORE);
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
        if (pendingCount > 0) {
            LOG.info("task {}: {} reviews restored from the pending store", context.taskId(), pendingCount);
        }
        metrics.pendingChanged(pendingCount);
        context.schedule(config.batchMaxWait(), PunctuationType.WALL_CLOCK_TIME, now -> scoreAll());
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        metrics.reviewReceived();
        RecordMetadata source = context.recordMetadata().orElseThrow();
        ParseResult parsed = parser.parse(record.value());
        if (parsed instanceof Rejection rejection) {
            deadLetter(record.key(), record.value(), source.topic(), source.partition(), source.offset(), record.timestamp(),
                    rejection);
            return;
        }
        if (pendingCount >= config.maxWaiting() && registry.current().isEmpty()) {
            deadLetter(record.key(), record.value(), source.topic(), source.partition(), source.offset(), record.timestamp(),
                    new Rejection(RejectReason.NO_MODEL, "no model yet and " + pendingCount
                            + " reviews already waiting (scorer.max-waiting)"));
            return;
        }
        pending.put(nextSequence++, new PendingReview(record.key(), record.value(), source.topic(), source.partition(),
                source.offset(), record.timestamp()));
        pendingCount++;
        metrics.pendingChanged(1);
        if (pendingCount >= config.batchSize()) {
            scoreNextBatch();
        }
    }

    @Override
    public void close() {
        // The task's pending reviews now belong to whichever instance restores the store next.
        metrics.pendingChanged(-pendingCount);
    }

    private void scoreAll() {
        long started = System.nanoTime();
        while (pendingCount > 0 && System.nanoTime() - started < PUNCTUATION_BUDGET_NANOS) {
            if (!scoreNextBatch()) {
                return;
            }
        }
    }

    /** Scores (or dead-letters) the oldest pending reviews, at most one batch; false when they must keep waiting. */
    private boolean scoreNextBatch() {
        ModelSnapshot snapshot = registry.current();
        if (snapshot.isEmpty() && config.noModel() == NoModelPolicy.WAIT) {
            return false;
        }
        List<KeyValue<Long, PendingReview>> batch = oldestPending(config.batchSize());
        if (batch.isEmpty()) {
            return false;
        }
        if (snapshot.isEmpty()) {
            for (KeyValue<Long, PendingReview> kv : batch) {
                deadLetter(kv.value, new Rejection(RejectReason.NO_MODEL, "no model loaded (scorer.no-model=dlq)"));
            }
        } else {
            score(snapshot, batch);
        }
        for (KeyValue<Long, PendingReview> kv : batch) {
            pending.delete(kv.key);
        }
        firstSequence = batch.get(batch.size() - 1).key + 1;
        pendingCount -= batch.size();
        metrics.pendingChanged(-batch.size());
        return true;
    }

    private void score(ModelSnapshot snapshot, List<KeyValue<Long, PendingReview>> batch) {
        List<PendingReview> reviews = new ArrayList<>(batch.size());
        List<ReviewRequest> requests = new ArrayList<>(batch.size());
        for (KeyValue<Long, PendingReview> kv : batch) {
            // Parsed again rather than stored parsed: the store keeps the original bytes for a possible dead letter.
            ParseResult parsed = parser.parse(kv.value.value());
            if (parsed instanceof ReviewRequest request) {
                reviews.add(kv.value);
                requests.add(request);
            } else {
                deadLetter(kv.value, (Rejection) parsed);
            }
        }
        if (requests.isEmpty()) {
            return;
        }
        long[] timestamps = reviews.stream().mapToLong(PendingReview::timestampMs).toArray();
        List<ReviewScorer.Outcome> outcomes;
        try {
            outcomes = scorer.score(snapshot, requests, timestamps);
        } catch (RuntimeException e) {
            LOG.error("scoring a batch of {} failed", requests.size(), e);
            Rejection failed = new Rejection(RejectReason.SCORING_FAILED, e.toString());
            outcomes = requests.stream().map(r -> new ReviewScorer.Outcome(null, failed)).toList();
        }
        for (int i = 0; i < outcomes.size(); i++) {
            ReviewScorer.Outcome outcome = outcomes.get(i);
            PendingReview review = reviews.get(i);
            if (outcome.scored()) {
                context.forward(new Record<>(review.key(), outcome.prediction(), review.timestampMs()),
                        TopologyProducer.PREDICTIONS_SINK);
                metrics.predicted(outcome.prediction());
            } else {
                deadLetter(review, outcome.rejection());
            }
        }
    }

    private List<KeyValue<Long, PendingReview>> oldestPending(int max) {
        List<KeyValue<Long, PendingReview>> batch = new ArrayList<>(max);
        // A bounded range, not all(): the in-memory store copies the keys of the range it iterates.
        try (KeyValueIterator<Long, PendingReview> oldest = pending.range(firstSequence, firstSequence + max - 1)) {
            while (oldest.hasNext()) {
                batch.add(oldest.next());
            }
        }
        return batch;
    }

    private void deadLetter(PendingReview review, Rejection rejection) {
        deadLetter(review.key(), review.value(), review.topic(), review.partition(), review.offset(), review.timestampMs(),
                rejection);
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
