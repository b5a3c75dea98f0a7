package dev.imdbstream.ingestor.vectors;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import dev.imdbstream.common.kafka.Topics;
import dev.imdbstream.common.schema.ReviewEmbedding;
import dev.imdbstream.common.schema.ReviewSequence;
import dev.imdbstream.encoder.SentenceEncoder;
import dev.imdbstream.ingestor.kafka.KafkaUnavailableException;
import dev.imdbstream.ingestor.kafka.DatasetPublisher;

/**
 * Encodes a data set's train and test reviews with a frozen {@link SentenceEncoder} and publishes each vector to
 * {@code imdb.review-embeddings} as it is done ({@link ReviewEmbedding}). Reviews whose vector is already on the topic
 * are skipped, so the encoding is done once per data set and an interrupted job resumes where it stopped. Progress
 * (reviews, rate, time left) goes to the console every {@value #PROGRESS_EVERY} reviews.
 */
public final class ReviewEncodingJob {

    private static final int PROGRESS_EVERY = 1_000;

    /**
     * @param encoder as {@link SentenceEncoder#load} names it
     * @param threads reviews encoded at once (each encoding single-threaded)
     */
    public record Settings(String encoder, int threads) {
        public Settings {
            if (threads < 1) {
                throw new IllegalArgumentException("ingest.sentence-encoder.threads " + threads + " < 1");
            }
        }
    }

    /** What the job did. */
    public record Outcome(int encoded, int skipped, double seconds, String description) {
    }

    private ReviewEncodingJob() {
    }

    /**
     * @param reviews the data set's train and test reviews, with their text
     * @throws KafkaUnavailableException when the topic cannot be read or a vector is not acknowledged
     */
    public static Outcome run(Settings settings, String datasetId, List<ReviewSequence> reviews,
            DatasetPublisher publisher, Word2VecTrainer.Progress progress) throws KafkaUnavailableException {
        long started = System.nanoTime();
        Set<String> done = publisher.keys(Topics.REVIEW_EMBEDDINGS, ReviewEmbedding.key(datasetId, settings.encoder(), ""));
        List<ReviewSequence> todo = new ArrayList<>();
        for (ReviewSequence r : reviews) {
            if (r.text() == null) {
                throw new IllegalArgumentException("review " + r.id() + " has no text to encode");
            }
            if (!done.contains(ReviewEmbedding.key(datasetId, settings.encoder(), r.id()))) {
                todo.add(r);
            }
        }
        int skipped = reviews.size() - todo.size();
        try (SentenceEncoder encoder = SentenceEncoder.load(settings.encoder(), 1)) {
            progress.line("encoding %,d reviews with %s on %d threads (%,d already on %s): %s", todo.size(),
                    encoder.name(), settings.threads(), skipped, Topics.REVIEW_EMBEDDINGS.name(), encoder.describe());
            if (todo.isEmpty()) {
                return new Outcome(0, skipped, (System.nanoTime() - started) / 1e9, encoder.describe());
            }
            AtomicInteger next = new AtomicInteger();
            AtomicInteger finished = new AtomicInteger();
            long encodingFrom = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(settings.threads(), r -> {
                Thread t = new Thread(r, "review-encoder");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<Void>> workers = new ArrayList<>();
                for (int t = 0; t < settings.threads(); t++) {
                    workers.add(pool.submit(() -> {
                        for (int i = next.getAndIncrement(); i < todo.size(); i = next.getAndIncrement()) {
                            ReviewSequence r = todo.get(i);
                            ReviewEmbedding e = ReviewEmbedding.of(datasetId, encoder.name(), r, encoder.encode(r.text()));
                            publisher.stream(Topics.REVIEW_EMBEDDINGS, e.key(), e);
                            int n = finished.incrementAndGet();
                            if (n % PROGRESS_EVERY == 0 || n == todo.size()) {
                                double s = (System.nanoTime() - encodingFrom) / 1e9;
                                double rate = n / s;
                                progress.line("  encoded %,d / %,d reviews (%.1f reviews/s, %s left)", n, todo.size(),
                                        rate, minutes((todo.size() - n) / rate));
                            }
                        }
                        return null;
                    }));
                }
                for (Future<Void> w : workers) {
                    w.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaUnavailableException("interrupted while encoding reviews", e);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof KafkaUnavailableException k) {
                    throw k;
                }
                throw new IllegalStateException("encoding the reviews failed: " + e.getCause(), e.getCause());
            } finally {
                pool.shutdownNow();
            }
            publisher.awaitStream(Topics.REVIEW_EMBEDDINGS);
            return new Outcome(todo.size(), skipped, (System.nanoTime() - started) / 1e9, encoder.describe());
        }
    }

    private static String minutes(double seconds) {
        return seconds < 90 ? String.format(Locale.ROOT, "%.0f s", seconds)
                : String.format(Locale.ROOT, "%.0f min", seconds / 60);
    }
}
