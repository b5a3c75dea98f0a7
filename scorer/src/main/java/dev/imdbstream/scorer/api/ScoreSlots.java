package dev.imdbstream.scorer.api;

import java.util.concurrent.Semaphore;

import jakarta.inject.Singleton;

import dev.imdbstream.scorer.config.ScorerConfig;

/**
 * The requests {@code POST /score} may handle at once ({@code scorer.max-concurrent-scores}): a request that finds no
 * free slot is answered 429 at once, so a burst neither queues work behind the stream's inference nor holds many
 * bodies in memory.
 */
@Singleton
public class ScoreSlots {

    private final Semaphore slots;

    public ScoreSlots(ScorerConfig config) {
        this.slots = new Semaphore(config.maxConcurrentScores());
    }

    /** Takes a slot if one is free; the caller must {@link #release()} it. */
    public boolean tryAcquire() {
        return slots.tryAcquire();
    }

    public void release() {
        slots.release();
    }
}
