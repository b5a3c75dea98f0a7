package dev.imdbstream.scorer.streams;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.imdbstream.scorer.config.ScorerConfig.NoModelPolicy;
import dev.imdbstream.scorer.input.RejectReason;
import dev.imdbstream.scorer.input.Rejection;
import dev.imdbstream.scorer.input.ReviewRequest;
import dev.imdbstream.scorer.model.ModelSnapshot;
import dev.imdbstream.scorer.model.ReviewScorer;

/**
 * The micro-batch of one stream thread: reviews queued by all the tasks (partitions) this thread runs, scored
 * together in one inference pass per model, oldest first. A pass costs nearly the same for 1 review as for 32, so
 * batching across the partitions of a thread, not within each, is what keeps the model busy with full batches.
 *
 * <p>When to score: as soon as a full batch is queued; otherwise at a tick (the wall-clock punctuation of the first
 * registered task, every {@code scorer.batch-max-wait / 4}) that finds no review queued since the previous tick (the
 * input has run dry), or whose oldest review has waited {@value #MAX_TICKS} ticks. Waiting is counted in ticks, not
 * milliseconds, on purpose: Kafka Streams punctuates only between processing rounds, so ticks do not advance while
 * a pass runs, and reviews that arrived during a long pass are not flushed as a small batch right after it.
 *
 * <p>The batcher only computes outcomes; each one is handed back to the task that owns the review
 * ({@link ScoringProcessor#ready}), which forwards it and removes the review from its pending store in its own
 * processing context, keeping exactly-once per task. Confined to its stream thread; not thread-safe.
 */
final class MicroBatcher {

    private static final Logger LOG = LoggerFactory.getLogger(MicroBatcher.class);
    /** Ticks the oldest queued review may wait while reviews keep arriving (4 ticks = {@code batch-max-wait}). */
    static final int MAX_TICKS = 4;

    /** One queued review, the task that owns it, and the tick it was queued at. */
    record Entry(ScoringProcessor owner, long sequence, PendingReview review, ReviewRequest request, long tick) {
    }

    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private final Set<ScoringProcessor> owners = new LinkedHashSet<>();
    private final ReviewScorer scorer;
    private final int batchSize;
    private final NoModelPolicy noModel;
    private long ticks;
    private boolean queuedSinceTick;

    MicroBatcher(ReviewScorer scorer, int batchSize, NoModelPolicy noModel) {
        this.scorer = scorer;
        this.batchSize = batchSize;
        this.noModel = noModel;
    }

    void register(ScoringProcessor owner) {
        owners.add(owner);
    }

    /** Drops a closing task and its queued reviews: they stay in its pending store for its next owner. */
    void forget(ScoringProcessor owner) {
        owners.remove(owner);
        queue.removeIf(e -> e.owner() == owner);
    }

    void offer(ScoringProcessor owner, long sequence, PendingReview review, ReviewRequest request) {
        queue.addLast(new Entry(owner, sequence, review, request, ticks));
        queuedSinceTick = true;
    }

    /** Scores full batches. */
    void scoreFull(ModelSnapshot snapshot) {
        while (queue.size() >= batchSize && scoreBatch(snapshot)) {
            // next batch
        }
    }

    /**
     * A tick of this thread's clock: only the first registered task's punctuation counts. Scores full batches, and
     * the partial one when the input ran dry or the oldest review waited long enough.
     *
     * @param budgetNanos longest time to keep scoring a backlog before the thread may commit and poll
     */
    void tick(ScoringProcessor caller, ModelSnapshot snapshot, long budgetNanos) {
        if (owners.isEmpty() || owners.iterator().next() != caller) {
            return;
        }
        ticks++;
        boolean dry = !queuedSinceTick;
        queuedSinceTick = false;
        long started = System.nanoTime();
        while (!queue.isEmpty() && System.nanoTime() - started < budgetNanos) {
            boolean due = queue.size() >= batchSize || dry || ticks - queue.peekFirst().tick() >= MAX_TICKS;
            if (!due || !scoreBatch(snapshot)) {
                return;
            }
        }
    }

    /**
     * Scores the oldest queued reviews, at most one batch, and hands each outcome to its task.
     *
     * @return false when nothing was scored: the queue is empty, or there is no model and reviews wait for one
     */
    private boolean scoreBatch(ModelSnapshot snapshot) {
        if (queue.isEmpty() || (snapshot.isEmpty() && noModel == NoModelPolicy.WAIT)) {
            return false;
        }
        List<Entry> batch = new ArrayList<>(Math.min(batchSize, queue.size()));
        while (batch.size() < batchSize && !queue.isEmpty()) {
            batch.add(queue.pollFirst());
        }
        List<ReviewScorer.Outcome> outcomes = snapshot.isEmpty()
                ? rejectAll(batch, new Rejection(RejectReason.NO_MODEL, "no model loaded (scorer.no-model=dlq)"))
                : score(snapshot, batch);
        for (int i = 0; i < batch.size(); i++) {
            Entry entry = batch.get(i);
            entry.owner().ready(entry.sequence(), entry.review(), outcomes.get(i));
        }
        return true;
    }

    private List<ReviewScorer.Outcome> score(ModelSnapshot snapshot, List<Entry> batch) {
        List<ReviewRequest> requests = batch.stream().map(Entry::request).toList();
        long[] timestamps = batch.stream().mapToLong(e -> e.review().timestampMs()).toArray();
        try {
            return scorer.score(snapshot, requests, timestamps);
        } catch (RuntimeException e) {
            LOG.error("scoring a batch of {} failed", batch.size(), e);
            return rejectAll(batch, new Rejection(RejectReason.SCORING_FAILED, e.toString()));
        }
    }

    private static List<ReviewScorer.Outcome> rejectAll(List<Entry> batch, Rejection rejection) {
        return batch.stream().map(e -> new ReviewScorer.Outcome(null, rejection)).toList();
    }
}
