package dev.imdbstream.scorer.streams;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

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
 * <p>The batcher only computes outcomes; each one is handed back to the task that owns the review
 * ({@link ScoringProcessor#ready}), which forwards it and removes the review from its pending store in its own
 * processing context, keeping exactly-once per task. Confined to its stream thread; not thread-safe.
 */
final class MicroBatcher {

    private static final Logger LOG = LoggerFactory.getLogger(MicroBatcher.class);

    /** One queued review and the task that owns it. */
    record Entry(ScoringProcessor owner, long sequence, PendingReview review, ReviewRequest request) {
    }

    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private final ReviewScorer scorer;
    private final int batchSize;
    private final long maxWaitMs;
    private final NoModelPolicy noModel;

    MicroBatcher(ReviewScorer scorer, int batchSize, long maxWaitMs, NoModelPolicy noModel) {
        this.scorer = scorer;
        this.batchSize = batchSize;
        this.maxWaitMs = maxWaitMs;
        this.noModel = noModel;
    }

    void offer(Entry entry) {
        queue.addLast(entry);
    }

    /** A full batch is queued, or the oldest review has waited its longest. */
    boolean due(long nowMs) {
        return queue.size() >= batchSize
                || (!queue.isEmpty() && nowMs - queue.peekFirst().review().receivedAtMs() >= maxWaitMs);
    }

    /**
     * Scores the oldest queued reviews, at most one batch, and hands each outcome to its task.
     *
     * @return false when nothing was scored: the queue is empty, or there is no model and reviews wait for one
     */
    boolean scoreBatch(ModelSnapshot snapshot) {
        if (queue.isEmpty() || (snapshot.isEmpty() && noModel == NoModelPolicy.WAIT)) {
            return false;
        }
        List<Entry> batch = new ArrayList<>(Math.min(batchSize, queue.size()));
        while (batch.size() < batchSize && !queue.isEmpty()) {
            batch.add(queue.pollFirst());
        }
        List<ReviewScorer.Outcome> outcomes = snapshot.isEmpty() ? noModel(batch) : score(snapshot, batch);
        for (int i = 0; i < batch.size(); i++) {
            Entry entry = batch.get(i);
            entry.owner().ready(entry.sequence(), entry.review(), outcomes.get(i));
        }
        return true;
    }

    /** Drops the queued reviews of a closing task: they stay in its pending store for its next owner. */
    void forget(ScoringProcessor owner) {
        queue.removeIf(e -> e.owner() == owner);
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

    private static List<ReviewScorer.Outcome> noModel(List<Entry> batch) {
        return rejectAll(batch, new Rejection(RejectReason.NO_MODEL, "no model loaded (scorer.no-model=dlq)"));
    }

    private static List<ReviewScorer.Outcome> rejectAll(List<Entry> batch, Rejection rejection) {
        return batch.stream().map(e -> new ReviewScorer.Outcome(null, rejection)).toList();
    }
}
