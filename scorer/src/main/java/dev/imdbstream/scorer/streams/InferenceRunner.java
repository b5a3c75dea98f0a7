package dev.imdbstream.scorer.streams;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Where the micro-batches' inference passes run. With {@code scorer.inference-thread} (the default) each stream
 * thread hands its passes to a thread of its own, so that polling, parsing, the pending store, serialization and
 * commits overlap with the model's arithmetic instead of taking turns with it on one core; otherwise they run on
 * the stream thread. Only outcomes cross threads: the stream thread forwards them, so exactly-once is unchanged.
 */
final class InferenceRunner implements AutoCloseable {

    private final boolean ownThreads;
    private final List<ExecutorService> executors = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();

    InferenceRunner(boolean ownThreads) {
        this.ownThreads = ownThreads;
    }

    /** The passes of one stream thread (call on it): one thread, so its passes finish in the order given. */
    Lane lane() {
        if (!ownThreads) {
            return new Lane(null);
        }
        // A prefix, not a suffix: Linux keeps a thread's first 15 characters (top, /proc), where "imdb-scorer-<uuid>"
        // alone would not tell it from its stream thread.
        String name = "inference-" + Thread.currentThread().getName();
        // Its thread ends after a minute without passes, so the lane of a stream thread that died (and was replaced)
        // does not keep one alive.
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, name);
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
        executors.add(executor);
        return new Lane(executor);
    }

    /** Passes started and not yet collected by their stream thread, over all lanes (tests wait for 0). */
    int passesInFlight() {
        return inFlight.get();
    }

    @Override
    public void close() {
        executors.forEach(ExecutorService::shutdown);
    }

    /** The inference passes of one stream thread. */
    final class Lane {
        private final ExecutorService executor;

        private Lane(ExecutorService executor) {
            this.executor = executor;
        }

        /** Whether passes run on a thread of their own: the stream thread does not wait for them. */
        boolean concurrent() {
            return executor != null;
        }

        /** Starts a pass; on the calling thread when there is no inference thread (or it has been shut down). */
        <T> CompletableFuture<T> start(Supplier<T> pass) {
            inFlight.incrementAndGet();
            if (executor != null) {
                try {
                    return CompletableFuture.supplyAsync(pass, executor);
                } catch (RejectedExecutionException shutDown) {
                    // Closing: the last passes run where they are asked for.
                }
            }
            try {
                return CompletableFuture.completedFuture(pass.get());
            } catch (RuntimeException | Error e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        /** The stream thread took a pass's outcome. */
        void collected() {
            inFlight.decrementAndGet();
        }
    }
}
