package dev.imdbstream.trainer.run;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import dev.imdbstream.common.schema.EpochMetrics;
import dev.imdbstream.common.schema.TrainingJob;
import dev.imdbstream.common.schema.TrainingResult;
import dev.imdbstream.trainer.config.TrainerConfig;

/**
 * The trainer's Micrometer meters (Prometheus at {@code /q/metrics}). Per-run meters carry the tags
 * {@code experiment}, {@code variant}, {@code size} and {@code seed}:
 * <ul>
 * <li>gauges {@code trainer.run.epoch}, {@code trainer.run.train.loss}, {@code trainer.run.train.accuracy},
 *     {@code trainer.run.val.loss}, {@code trainer.run.val.accuracy}, {@code trainer.run.epoch.seconds} (the
 *     latest epoch), {@code trainer.run.best.epoch}, {@code trainer.run.test.accuracy}, {@code trainer.run.test.auc}</li>
 * <li>counters {@code trainer.epochs}, {@code trainer.samples.trained}, {@code trainer.runs.done},
 *     {@code trainer.runs.failed}, {@code trainer.runs.cancelled}, {@code trainer.runs.skipped} (already trained),
 *     {@code trainer.runs.retries} (tries again after Kafka did not answer)</li>
 * <li>timer {@code trainer.epoch.duration} (tags variant, size)</li>
 * </ul>
 * They cover the runs this instance trained since it started; the study's results over all instances and restarts
 * are {@link dev.imdbstream.trainer.study.StudyMetrics}'. Instance gauges: {@code trainer.runs.in.progress},
 * {@code trainer.runs.capacity}; counter {@code trainer.jobs.rejected} (records of training.jobs refused unread:
 * unsafe ids, unreadable; no tags, as their ids are not trusted).
 */
@ApplicationScoped
public class RunMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger inProgress = new AtomicInteger();
    private final Map<String, RunGauges> runs = new ConcurrentHashMap<>();

    public RunMetrics(MeterRegistry registry, TrainerConfig config) {
        this.registry = registry;
        Gauge.builder("trainer.runs.in.progress", inProgress, AtomicInteger::get)
                .description("Runs this instance is training now").register(registry);
        Gauge.builder("trainer.runs.capacity", config.runs(), r -> r.parallel())
                .description("Runs this instance trains at the same time at most").register(registry);
    }

    static Tags tags(TrainingJob job) {
        return Tags.of("experiment", job.experimentId(), "variant", job.variant(),
                "size", Integer.toString(job.subsetSize()), "seed", Long.toString(job.seed()));
    }

    /** Values behind one run's gauges; Micrometer holds gauges weakly, so this map keeps them. */
    private static final class RunGauges {
        final Value epoch = new Value(0);
        final Value trainLoss = new Value(Double.NaN);
        final Value trainAccuracy = new Value(Double.NaN);
        final Value valLoss = new Value(Double.NaN);
        final Value valAccuracy = new Value(Double.NaN);
        final Value epochSeconds = new Value(Double.NaN);
        final Value bestEpoch = new Value(Double.NaN);
        final Value testAccuracy = new Value(Double.NaN);
        final Value testAuc = new Value(Double.NaN);
    }

    /** A gauge's current value. */
    private static final class Value {
        private volatile double value;

        Value(double initial) {
            value = initial;
        }

        double get() {
            return value;
        }

        void set(double v) {
            value = v;
        }
    }

    private RunGauges gauges(TrainingJob job) {
        return runs.computeIfAbsent(job.jobId(), id -> {
            RunGauges g = new RunGauges();
            Tags tags = tags(job);
            gauge("trainer.run.epoch", "Latest finished epoch of the run", tags, g.epoch);
            gauge("trainer.run.train.loss", "Binary cross-entropy on the training subset after the latest epoch", tags, g.trainLoss);
            gauge("trainer.run.train.accuracy", "Accuracy on the training subset after the latest epoch", tags, g.trainAccuracy);
            gauge("trainer.run.val.loss", "Binary cross-entropy on the validation reviews after the latest epoch", tags, g.valLoss);
            gauge("trainer.run.val.accuracy", "Accuracy on the validation reviews after the latest epoch", tags, g.valAccuracy);
            gauge("trainer.run.epoch.seconds", "Wall time of the latest epoch (training and validation)", tags, g.epochSeconds);
            gauge("trainer.run.best.epoch", "Epoch with the lowest validation loss so far", tags, g.bestEpoch);
            gauge("trainer.run.test.accuracy", "Test accuracy of the run's best weights", tags, g.testAccuracy);
            gauge("trainer.run.test.auc", "Test ROC-AUC of the run's best weights", tags, g.testAuc);
            return g;
        });
    }

    private void gauge(String name, String description, Tags tags, Value value) {
        Gauge.builder(name, value, Value::get).description(description).tags(tags).register(registry);
    }

    public void started(TrainingJob job) {
        inProgress.incrementAndGet();
        gauges(job);
    }

    public void finished(TrainingJob job) {
        inProgress.decrementAndGet();
    }

    public void epoch(TrainingJob job, EpochMetrics m, int samples, int bestEpoch) {
        RunGauges g = gauges(job);
        g.epoch.set(m.epoch());
        g.trainLoss.set(m.trainLoss());
        g.trainAccuracy.set(m.trainAccuracy());
        g.valLoss.set(m.valLoss());
        g.valAccuracy.set(m.valAccuracy());
        g.epochSeconds.set(m.seconds());
        g.bestEpoch.set(bestEpoch);
        Tags tags = tags(job);
        Counter.builder("trainer.epochs").description("Epochs trained").tags(tags).register(registry).increment();
        Counter.builder("trainer.samples.trained").description("Training examples fed through an optimiser step")
                .tags(tags).register(registry).increment(samples);
        Timer.builder("trainer.epoch.duration").description("Wall time of an epoch")
                .tags("variant", job.variant(), "size", Integer.toString(job.subsetSize()))
                .register(registry).record((long) (m.seconds() * 1e9), TimeUnit.NANOSECONDS);
    }

    public void result(TrainingJob job, TrainingResult result) {
        Tags tags = tags(job);
        if (result.status() == TrainingResult.Status.SUCCEEDED) {
            RunGauges g = gauges(job);
            g.testAccuracy.set(result.test().accuracy());
            g.testAuc.set(result.test().rocAuc());
            g.bestEpoch.set(result.bestEpoch());
            Counter.builder("trainer.runs.done").description("Runs that succeeded on this instance").tags(tags)
                    .register(registry).increment();
        } else if (result.status() == TrainingResult.Status.CANCELLED) {
            Counter.builder("trainer.runs.cancelled").description("Runs of cancelled experiments ended on this instance")
                    .tags(tags).register(registry).increment();
        } else {
            Counter.builder("trainer.runs.failed").description("Runs that failed on this instance").tags(tags)
                    .register(registry).increment();
        }
    }

    /** A record of training.jobs that was not trained: unreadable, or its ids are not safe to use. */
    public void rejected() {
        Counter.builder("trainer.jobs.rejected").description("Records of training.jobs refused (unreadable or unsafe ids)")
                .register(registry).increment();
    }

    public void skipped(TrainingJob job) {
        Counter.builder("trainer.runs.skipped").description("Delivered jobs whose result already existed")
                .tags(tags(job)).register(registry).increment();
    }

    public void retried(TrainingJob job) {
        Counter.builder("trainer.runs.retries")
                .description("Runs tried again from their checkpoint because Kafka did not answer")
                .tags(tags(job)).register(registry).increment();
    }
}
