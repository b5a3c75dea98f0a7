package dev.imdbstream.scorer.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import dev.imdbstream.common.schema.Prediction;
import dev.imdbstream.scorer.input.RejectReason;

/**
 * The scorer's Prometheus metrics (names as exported at {@code /q/metrics}):
 * <ul>
 * <li>{@code scorer_reviews_total}, {@code scorer_predictions_total}, {@code scorer_dlq_total{reason}}: records in
 *     and out; in a settled scorer {@code reviews = predictions + dlq + scorer_pending_reviews};</li>
 * <li>{@code scorer_latency_seconds} (quantiles 0.5/0.95/0.99 and histogram buckets): input record timestamp to
 *     prediction;</li>
 * <li>{@code scorer_batch_size}, {@code scorer_inference_seconds{model}}: micro-batches and their model passes;</li>
 * <li>{@code scorer_model_labelled_total}, {@code scorer_model_correct_total}, {@code scorer_model_accuracy}
 *     (tags model, variant, subset_size): streaming accuracy over the labelled reviews;</li>
 * <li>{@code scorer_models_selected}, {@code scorer_models_known}, {@code scorer_model_loaded{model,...}} (1 while
 *     it scores), {@code scorer_model_swaps_total}, {@code scorer_model_load_seconds},
 *     {@code scorer_model_rejected_total}, {@code scorer_warmup_seconds} (the kernels' warm-up, once per process):
 *     the model registry;</li>
 * <li>{@code scorer_pending_reviews}: reviews buffered for a micro-batch or waiting for a model;
 *     {@code scorer_backpressure_seconds}: time stream threads spent scoring a full pending store before reading on;
 *     {@code scorer_intake_paused} (1 while reading stopped until a model is loaded);</li>
 * <li>{@code scorer_stream_thread_replacements_total}: stream threads replaced after an uncaught error;</li>
 * <li>{@code scorer_deserialization_errors_total{topic}}: records dropped before the scorer's code saw them.</li>
 * </ul>
 * Kafka Streams' own client metrics (consumer lag {@code kafka_consumer_fetch_manager_records_lag}, ...) are bound
 * by Quarkus' Micrometer Kafka binder.
 */
@Singleton
public class ScorerMetrics {

    private final MeterRegistry registry;
    private final Counter reviews;
    private final Counter predictions;
    private final Map<RejectReason, Counter> dlq;
    private final Timer latency;
    private final DistributionSummary batchSize;
    private final Counter swaps;
    private final Timer modelLoad;
    private final Timer warmUp;
    private final Counter modelRejected;
    private final Timer backpressure;
    private final Counter threadReplacements;
    private final AtomicLong intakePaused = new AtomicLong();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong selected = new AtomicLong();
    private final AtomicLong known = new AtomicLong();
    private final Map<String, ModelAccuracy> accuracy = new ConcurrentHashMap<>();
    private final Map<String, Meter> loadedGauges = new ConcurrentHashMap<>();
    private final Map<String, Timer> inference = new ConcurrentHashMap<>();

    /** Metrics that nobody exports: for scoring that must not count as stream traffic ({@code POST /score}). */
    public static ScorerMetrics detached() {
        return new ScorerMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    }

    public ScorerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.reviews = Counter.builder("scorer.reviews").description("Records read from the reviews topic")
                .register(registry);
        this.predictions = Counter.builder("scorer.predictions").description("Records written to predictions")
                .register(registry);
        this.dlq = new java.util.EnumMap<>(RejectReason.class);
        for (RejectReason reason : RejectReason.values()) {
            dlq.put(reason, Counter.builder("scorer.dlq").description("Records written to reviews.dlq")
                    .tag("reason", reason.code()).register(registry));
        }
        this.latency = Timer.builder("scorer.latency")
                .description("From the review record's timestamp to its prediction")
                .publishPercentiles(0.5, 0.95, 0.99)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
        this.batchSize = DistributionSummary.builder("scorer.batch.size")
                .description("Reviews scored together in one micro-batch")
                .publishPercentiles(0.5, 0.95)
                .register(registry);
        this.swaps = Counter.builder("scorer.model.swaps").description("Changes of the set of scoring models")
                .register(registry);
        this.modelLoad = Timer.builder("scorer.model.load").description("Time to load a model artifact")
                .register(registry);
        this.warmUp = Timer.builder("scorer.warmup")
                .description("Warm-up of the inference kernels before the first model scores (once per process)")
                .register(registry);
        this.modelRejected = Counter.builder("scorer.model.rejected")
                .description("Model artifacts that could not be used").register(registry);
        this.backpressure = Timer.builder("scorer.backpressure")
                .description("Time a stream thread scored a full pending store (scorer.max-pending) before reading on")
                .register(registry);
        this.threadReplacements = Counter.builder("scorer.stream.thread.replacements")
                .description("Stream threads replaced after an uncaught error").register(registry);
        Gauge.builder("scorer.intake.paused", intakePaused, AtomicLong::get)
                .description("1 while the scorer reads no reviews until a model is loaded").register(registry);
        Gauge.builder("scorer.pending.reviews", pending, AtomicLong::get)
                .description("Reviews buffered for a micro-batch or waiting for a model").register(registry);
        Gauge.builder("scorer.models.selected", selected, AtomicLong::get)
                .description("Models scoring each review").register(registry);
        Gauge.builder("scorer.models.known", known, AtomicLong::get)
                .description("Usable model artifacts seen on the models topic").register(registry);
    }

    public void reviewReceived() {
        reviews.increment();
    }

    public void rejected(RejectReason reason) {
        dlq.get(reason).increment();
    }

    /** Counts a prediction, its latency and, when labelled, each model's hit or miss. */
    public void predicted(Prediction prediction) {
        predictions.increment();
        latency.record(Math.max(0, Math.round(prediction.latencyMs() * 1000)), TimeUnit.MICROSECONDS);
        if (prediction.label() == null) {
            return;
        }
        for (Prediction.ModelScore score : prediction.scores()) {
            accuracy.computeIfAbsent(score.modelId(), id -> new ModelAccuracy(registry, score))
                    .record(score.label() == prediction.label());
        }
    }

    public void batchScored(int size) {
        batchSize.record(size);
    }

    public void inferenceTime(String modelId, long nanos) {
        inference.computeIfAbsent(modelId, id -> Timer.builder("scorer.inference")
                .description("One model's pass over one micro-batch").tag("model", id)
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    public void pendingChanged(long delta) {
        pending.addAndGet(delta);
    }

    public void backpressure(long nanos) {
        backpressure.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void intakePaused(boolean paused) {
        intakePaused.set(paused ? 1 : 0);
    }

    public void streamThreadReplaced() {
        threadReplacements.increment();
    }

    public void modelLoaded(long nanos) {
        modelLoad.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void warmedUp(long nanos) {
        warmUp.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void modelRejected() {
        modelRejected.increment();
    }

    /** Publishes the registry's state: which models score now, how many are known. */
    public void modelsChanged(List<ModelTags> loaded, int knownModels) {
        swaps.increment();
        selected.set(loaded.size());
        known.set(knownModels);
        Map<String, ModelTags> byId = new java.util.HashMap<>();
        loaded.forEach(m -> byId.put(m.modelId(), m));
        loadedGauges.entrySet().removeIf(e -> {
            if (!byId.containsKey(e.getKey())) {
                registry.remove(e.getValue());
                return true;
            }
            return false;
        });
        for (ModelTags m : loaded) {
            loadedGauges.computeIfAbsent(m.modelId(), id -> Gauge.builder("scorer.model.loaded", () -> 1)
                    .description("1 for each model that scores reviews now").tags(m.tags()).register(registry));
        }
    }

    /** Sets the known-model count without a swap. */
    public void modelsKnown(int knownModels) {
        known.set(knownModels);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The tags that name a model in metrics. */
    public record ModelTags(String modelId, String variant, int subsetSize) {
        Tags tags() {
            return Tags.of("model", modelId, "variant", String.valueOf(variant), "subset_size",
                    Integer.toString(subsetSize));
        }
    }

    /** Streaming accuracy of one model: two counters and their ratio. */
    private static final class ModelAccuracy {
        private final Counter labelled;
        private final Counter correct;
        private final AtomicLong labelledCount = new AtomicLong();
        private final AtomicLong correctCount = new AtomicLong();

        ModelAccuracy(MeterRegistry registry, Prediction.ModelScore score) {
            Tags tags = new ModelTags(score.modelId(), score.variant(), score.subsetSize()).tags();
            labelled = Counter.builder("scorer.model.labelled").description("Labelled reviews scored by the model")
                    .tags(tags).register(registry);
            correct = Counter.builder("scorer.model.correct")
                    .description("Labelled reviews the model classified correctly").tags(tags).register(registry);
            Gauge.builder("scorer.model.accuracy", this, ModelAccuracy::accuracy)
                    .description("Accuracy over all labelled reviews scored since start").tags(tags).register(registry);
        }

        void record(boolean hit) {
            labelledCount.incrementAndGet();
            labelled.increment();
            if (hit) {
                correctCount.incrementAndGet();
                correct.increment();
            }
        }

        double accuracy() {
            long n = labelledCount.get();
            return n == 0 ? Double.NaN : (double) correctCount.get() / n;
        }
    }
}
