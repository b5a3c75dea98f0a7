package dev.imdbstream.scorer.streams;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
 * together in one inference pass per model, oldest first. A pass has a fixed part (the recurrent weights are read
 * once per step whatever the batch: a review alone costs about twice its share of a batch of 128), so batching across
 * the partitions of a thread, not within each, is what keeps the model busy with full batches.
 *
 * <p>When to score: as soon as a full batch is queued, or, with an inference thread, as soon as that thread is idle
 * (adaptive batching: reviews that arrive during a pass make the next one). Otherwise at a tick (the wall-clock
 * punctuation of the first registered task, every {@code scorer.batch-max-wait / 4}) that finds no review queued
 * since the previous tick (the input has run dry), or whose oldest review has waited {@value #MAX_TICKS} ticks.
 * Waiting is counted in ticks, not milliseconds, on purpose: Kafka Streams punctuates only between processing
 * rounds, so ticks do not advance while the thread is busy, and reviews that arrived during a long round are not
 * flushed as a small batch right after it.
 *
 * <p>Passes run on the thread's {@link InferenceRunner.Lane}: up to {@value #MAX_IN_FLIGHT} at a time, so that the
 * next batch is ready when the model finishes one, while the stream thread goes on reading and writing. Finished
 * passes are collected, in order, whenever a task of this thread processes a record or ticks. The batcher only
 * computes outcomes; each one is handed back to the task that owns the review ({@link Owner#ready}),
 * which forwards it and removes the review from its pending store in its own processing context, keeping
 * exactly-once per task. Confined to its stream thread (only the passes themselves run elsewhere); not thread-safe.
 */
final class MicroBatcher {

    private static final Logger LOG = LoggerFactory.getLogger(MicroBatcher.class);
    /** Ticks the oldest queued review may wait while reviews keep arriving (4 ticks = {@code batch-max-wait}). */
    static final int MAX_TICKS = 4;
    /** Passes under way at once: one computing, the next one waiting for the model. */
    static final int MAX_IN_FLIGHT = 2;

    /**
     * Where a queued review's outcome goes: one per initialisation of a task, so that a task re-initialised after a
     * rebalance or a corruption (Kafka Streams reuses its processor) never receives the outcomes of its previous life.
     */
    interface Owner {
        /** Called on the stream thread with the outcome of one of this owner's reviews. */
        void ready(long sequence, PendingReview review, ReviewScorer.Outcome outcome);
    }

    /** One queued review, the task that owns it, and the tick it was queued at. */
    record Entry(Owner owner, long sequence, PendingReview review, ReviewRequest request, long tick) {
    }

    /** A batch handed to the model, and its outcomes once computed (one per entry, in order). */
    private record Pass(List<Entry> batch, CompletableFuture<List<ReviewScorer.Outcome>> outcomes) {
    }

    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private final ArrayDeque<Pass> inFlight = new ArrayDeque<>();
    private final Set<Owner> owners = new LinkedHashSet<>();
    private final ReviewScorer scorer;
    private final int batchSize;
    private final NoModelPolicy noModel;
    private final InferenceRunner.Lane lane;
    private long ticks;
    private boolean queuedSinceTick;

    MicroBatcher(ReviewScorer scorer, int batchSize, NoModelPolicy noModel, InferenceRunner.Lane lane) {
        this.scorer = scorer;
        this.batchSize = batchSize;
        this.noModel = noModel;
        this.lane = lane;
    }

    void register(Owner owner) {
        owners.add(owner);
    }

    /**
     * Drops a closing task and its queued reviews: they stay in its pending store for its next owner. Outcomes of
     * its reviews that are being computed are dropped when they arrive.
     */
    void forget(Owner owner) {
        owners.remove(owner);
        queue.removeIf(e -> e.owner() == owner);
    }

    void offer(Owner owner, long sequence, PendingReview review, ReviewRequest request) {
        queue.addLast(new Entry(owner, sequence, review, request, ticks));
        queuedSinceTick = true;
    }

    /** Hands out finished passes' outcomes and starts passes for full batches. */
    void scoreFull(ModelSnapshot snapshot) {
        collect();
        while ((queue.size() >= batchSize || idle()) && start(snapshot)) {
            // next batch
        }
    }

    /**
     * A task's tick: hands out finished passes' outcomes. Only the first registered task's tick counts as the
     * thread's clock: it starts passes for full batches, and for the partial one when the input ran dry or the
     * oldest review waited long enough.
     *
     * @param budgetNanos longest time to keep scoring a backlog on the stream thread (no inference thread) before
     *                    the thread may commit and poll
     */
    void tick(Owner caller, ModelSnapshot snapshot, long budgetNanos) {
        collect();
        if (owners.isEmpty() || owners.iterator().next() != caller) {
            return;
        }
        ticks++;
        boolean dry = !queuedSinceTick;
        queuedSinceTick = false;
        long started = System.nanoTime();
        while (!queue.isEmpty() && System.nanoTime() - started < budgetNanos) {
            boolean due = queue.size() >= batchSize || idle() || dry || ticks - queue.peekFirst().tick() >= MAX_TICKS;
            if (!due || !start(snapshot)) {
                return;
            }
        }
    }

    /**
     * Back-pressure: scores now, on behalf of a task whose pending store is full, instead of waiting for a full batch
     * or a tick. Starts a pass over the oldest queued reviews if none is under way, then waits (at most
     * {@code maxWaitNanos}) for the oldest pass to finish and hands its outcomes out.
     *
     * @return false when nothing could be scored (nothing queued, or no model and reviews wait for one) or the pass
     *         did not finish in time
     */
    boolean awaitPass(ModelSnapshot snapshot, long maxWaitNanos) {
        collect();
        if (inFlight.isEmpty() && !start(snapshot)) {
            return false;
        }
        Pass oldest = inFlight.peekFirst();
        if (oldest == null) {
            return true; // start() ran the pass on this thread and collect() handed it out
        }
        try {
            oldest.outcomes().get(maxWaitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            // collect() turns the failure into rejections
        }
        collect();
        return true;
    }

    /**
     * Whether the inference thread has nothing to do: then whatever is queued is scored at once, and the reviews that
     * arrive during that pass make the next batch (the busier the model, the larger its batches).
     */
    private boolean idle() {
        return lane.concurrent() && inFlight.isEmpty();
    }

    /**
     * Starts a pass over the oldest queued reviews, at most one batch.
     *
     * @return false when nothing was started: the queue is empty, {@value #MAX_IN_FLIGHT} passes are under way, or
     *         there is no model and reviews wait for one
     */
    private boolean start(ModelSnapshot snapshot) {
        if (queue.isEmpty() || inFlight.size() >= MAX_IN_FLIGHT
                || (snapshot.isEmpty() && noModel == NoModelPolicy.WAIT)) {
            return false;
        }
        List<Entry> batch = new ArrayList<>(Math.min(batchSize, queue.size()));
        while (batch.size() < batchSize && !queue.isEmpty()) {
            batch.add(queue.pollFirst());
        }
        CompletableFuture<List<ReviewScorer.Outcome>> outcomes = snapshot.isEmpty()
                ? lane.start(() -> rejectAll(batch, new Rejection(RejectReason.NO_MODEL,
                        "no model loaded (scorer.no-model=dlq)")))
                : lane.start(() -> score(snapshot, batch));
        inFlight.addLast(new Pass(batch, outcomes));
        collect();
        return true;
    }

    /** Hands the outcomes of the finished passes to their tasks, oldest pass first. */
    private void collect() {
        while (!inFlight.isEmpty() && inFlight.peekFirst().outcomes().isDone()) {
            Pass pass = inFlight.pollFirst();
            lane.collected();
            List<ReviewScorer.Outcome> outcomes;
            try {
                outcomes = pass.outcomes().join();
            } catch (CompletionException e) {
                // score() turns exceptions into rejections: this is an Error (out of memory) in the pass.
                LOG.error("an inference pass over {} reviews failed", pass.batch().size(), e.getCause());
                outcomes = rejectAll(pass.batch(), new Rejection(RejectReason.SCORING_FAILED, e.getCause().toString()));
            }
            for (int i = 0; i < pass.batch().size(); i++) {
                Entry entry = pass.batch().get(i);
                if (owners.contains(entry.owner())) {
                    entry.owner().ready(entry.sequence(), entry.review(), outcomes.get(i));
                }
            }
        }
    }

    /** Runs on the inference thread: reads only the immutable batch and snapshot. */
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
