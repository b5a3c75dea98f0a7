package dev.imdbstream.trainer.study;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import dev.imdbstream.common.schema.Ids;
import dev.imdbstream.common.schema.TrainingJob;
import dev.imdbstream.common.schema.TrainingResult;
import dev.imdbstream.common.study.Statistics;

/**
 * The study's results as Micrometer gauges (Prometheus at {@code /q/metrics}), from every result on
 * {@code training.results} that {@link StudyView} replays: runs trained by any instance, before or after this one
 * started, so the comparison dashboard survives restarts. Only {@code SUCCEEDED} runs count, the latest result of
 * a run winning. Per grid cell (tags {@code experiment}, {@code size}, {@code variant}), summarised over seeds with
 * {@link Statistics} (the report's numbers):
 * <ul>
 * <li>{@code trainer.study.seeds}: succeeded runs</li>
 * <li>{@code trainer.study.test.accuracy.mean}, {@code trainer.study.test.accuracy.sd} (sample),
 *     {@code trainer.study.test.accuracy.ci.low}, {@code trainer.study.test.accuracy.ci.high} (95% Student-t
 *     interval of the mean); sd and interval are NaN below two seeds</li>
 * <li>{@code trainer.study.test.auc.mean}: mean test ROC-AUC</li>
 * </ul>
 * Per succeeded run (tags {@code experiment}, {@code size}, {@code variant}, {@code seed}):
 * {@code trainer.study.run.test.accuracy}, {@code trainer.study.run.best.epoch}. A result whose ids are not safe
 * metric labels, or whose job id is not the one its parts give, is left out, so the tags are bounded by the grids
 * of the experiments on the topic. Every instance exposes the same values: dashboards take {@code max by} over
 * instances, never a sum or an average. Thread-safe: results are applied under this object's lock on the view's
 * thread, gauges read immutable snapshots.
 */
@ApplicationScoped
public class StudyMetrics {

    private final StudyView view;
    private final MeterRegistry registry;
    /** Cells by (experiment, size, variant); Micrometer holds gauges weakly, so these maps keep their values. */
    private final Map<CellKey, Cell> cells = new ConcurrentHashMap<>();
    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private boolean started;

    public StudyMetrics(StudyView view, MeterRegistry registry) {
        this.view = view;
        this.registry = registry;
    }

    /** Listens to the view's results; called before the view starts, so that its replay reaches the gauges whole. */
    public synchronized void start() {
        if (!started) {
            view.onResult(this::record);
            started = true;
        }
    }

    private record CellKey(String experiment, int size, String variant) {

        Tags tags() {
            return Tags.of("experiment", experiment, "size", Integer.toString(size), "variant", variant);
        }
    }

    /** One grid cell: its succeeded runs by seed, and their summary that the gauges read. */
    private static final class Cell {
        final Map<Long, TrainingResult> bySeed = new TreeMap<>();
        volatile Summary summary = Summary.of(List.of());
    }

    private record Summary(Statistics accuracy, Statistics auc) {

        static Summary of(List<TrainingResult> runs) {
            return new Summary(Statistics.of(runs.stream().map(r -> r.test().accuracy()).toList()),
                    Statistics.of(runs.stream().map(r -> r.test().rocAuc()).toList()));
        }
    }

    /** One succeeded run's gauges. */
    private record Run(TrainingResult result, List<Gauge> gauges) {
    }

    synchronized void record(TrainingResult result) {
        if (!countable(result)) {
            return;
        }
        CellKey key = new CellKey(result.experimentId(), result.subsetSize(), result.variant());
        boolean succeeded = result.status() == TrainingResult.Status.SUCCEEDED && result.test() != null;
        Cell cell = cells.get(key);
        if (cell == null) {
            if (!succeeded) {
                return;
            }
            cell = register(key);
        }
        if (succeeded) {
            cell.bySeed.put(result.seed(), result);
        } else {
            cell.bySeed.remove(result.seed());
        }
        // In seed order, as the report's table sums them: the same numbers to the last bit.
        cell.summary = Summary.of(List.copyOf(cell.bySeed.values()));
        Run old = runs.remove(result.jobId());
        if (old != null) {
            old.gauges().forEach(registry::remove);
        }
        if (succeeded) {
            runs.put(result.jobId(), register(key, result));
        }
    }

    /** The ids of a result become tags: only those a validated job could carry. */
    private static boolean countable(TrainingResult r) {
        return Ids.isExperimentId(r.experimentId()) && r.variant() != null && Ids.VARIANT.matcher(r.variant()).matches()
                && r.subsetSize() >= 1 && TrainingJob.jobId(r.experimentId(), r.variant(), r.subsetSize(), r.seed())
                        .equals(r.jobId());
    }

    private Cell register(CellKey key) {
        Cell cell = new Cell();
        Tags tags = key.tags();
        gauge("trainer.study.seeds", "Succeeded runs (seeds) of the grid cell on training.results", tags, cell,
                c -> c.summary.accuracy().n());
        gauge("trainer.study.test.accuracy.mean", "Mean test accuracy over the grid cell's succeeded seeds", tags, cell,
                c -> c.summary.accuracy().mean());
        gauge("trainer.study.test.accuracy.sd",
                "Sample standard deviation of the test accuracy over the grid cell's seeds (NaN below two seeds)", tags,
                cell, c -> c.summary.accuracy().sd());
        gauge("trainer.study.test.accuracy.ci.low",
                "Lower end of the 95% Student-t interval of the mean test accuracy (NaN below two seeds)", tags, cell,
                c -> c.summary.accuracy().ciLow());
        gauge("trainer.study.test.accuracy.ci.high",
                "Upper end of the 95% Student-t interval of the mean test accuracy (NaN below two seeds)", tags, cell,
                c -> c.summary.accuracy().ciHigh());
        gauge("trainer.study.test.auc.mean", "Mean test ROC-AUC over the grid cell's succeeded seeds", tags, cell,
                c -> c.summary.auc().mean());
        cells.put(key, cell);
        return cell;
    }

    private Run register(CellKey key, TrainingResult result) {
        Tags tags = key.tags().and("seed", Long.toString(result.seed()));
        return new Run(result, List.of(
                gauge("trainer.study.run.test.accuracy", "Test accuracy of a succeeded run's best weights", tags, result,
                        r -> r.test().accuracy()),
                gauge("trainer.study.run.best.epoch", "Epoch whose weights a succeeded run kept", tags, result,
                        r -> r.bestEpoch())));
    }

    private <T> Gauge gauge(String name, String description, Tags tags, T state, ToDoubleFunction<T> value) {
        return Gauge.builder(name, state, value).description(description).tags(tags).register(registry);
    }
}
