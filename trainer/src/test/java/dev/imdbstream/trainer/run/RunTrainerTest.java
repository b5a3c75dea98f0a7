package dev.imdbstream.trainer.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.imdbstream.common.schema.EpochMetrics;
import dev.imdbstream.common.schema.Hyperparameters;
import dev.imdbstream.common.schema.ReviewSequence;
import dev.imdbstream.common.schema.TrainingJob;
import dev.imdbstream.model.Inference;
import dev.imdbstream.trainer.data.RunData;
import dev.imdbstream.trainer.data.RunData.Examples;
import dev.imdbstream.trainer.run.Cancellation.CancelledException;
import dev.imdbstream.trainer.support.SyntheticData;

/** The training loop on synthetic data: checkpoints resume exactly, and parallel runs do not interfere. */
class RunTrainerTest {

    private static final SyntheticData DATA = new SyntheticData("synthetic-unit", 96, 32, 7);
    private static final Hyperparameters HP = new Hyperparameters(2, 16, 1e-3, 0.004, 5, true, 32, 32, false);
    private static ExecutorService threads;

    @TempDir
    Path dir;

    @BeforeAll
    static void startThreads() {
        threads = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stopThreads() {
        threads.shutdownNow();
    }

    private static TrainingJob job(String variant, long seed) {
        return new TrainingJob(TrainingJob.VERSION, TrainingJob.jobId("unit", variant, 32, seed), "unit",
                DATA.datasetId(), variant, 32, seed, HP, 0);
    }

    private static Examples examples(List<ReviewSequence> reviews) {
        return new Examples(reviews.stream().map(ReviewSequence::tokens).toArray(int[][]::new),
                reviews.stream().mapToInt(ReviewSequence::label).toArray());
    }

    private static RunData data() {
        return new RunData(examples(DATA.train().subList(0, 32)), examples(DATA.train().subList(64, 96)),
                examples(DATA.test()), new int[0], Map.of());
    }

    private RunTrainer trainer(TrainingJob job, Path checkpoints) {
        return new RunTrainer(job, SyntheticData.NUM_WORDS, 0, data(), job.variant().equals("glove") ? DATA.glove() : null,
                new Checkpoints(checkpoints, job.jobId()));
    }

    private static final RunTrainer.EpochListener IGNORE = (m, best, samples) -> {
    };

    @Test
    void shouldResumeFromItsCheckpointExactlyAsAnUninterruptedRun() throws Exception {
        TrainingJob job = job("random", 3);
        RunTrainer.Outcome uninterrupted = threads.submit(() -> trainer(job, dir.resolve("a")).train(IGNORE, new Cancellation()))
                .get(5, TimeUnit.MINUTES);

        Cancellation crash = new Cancellation();
        Future<?> first = threads.submit(() -> trainer(job, dir.resolve("b")).train((m, best, n) -> {
            if (m.epoch() == 1) {
                crash.cancel("simulated crash after epoch 1");
            }
        }, crash));
        assertThatThrownBy(() -> first.get(5, TimeUnit.MINUTES)).hasCauseInstanceOf(CancelledException.class);
        List<Integer> resumedEpochs = new ArrayList<>();
        RunTrainer.Outcome resumed = threads.submit(() -> trainer(job, dir.resolve("b"))
                .train((m, best, n) -> resumedEpochs.add(m.epoch()), new Cancellation())).get(5, TimeUnit.MINUTES);

        assertThat(resumedEpochs).containsExactly(2);
        assertThat(losses(resumed.history())).containsExactlyElementsOf(losses(uninterrupted.history()));
        assertThat(resumed.bestEpoch()).isEqualTo(uninterrupted.bestEpoch());
        assertThat(predict(resumed)).containsExactly(predict(uninterrupted));
    }

    @Test
    void shouldHandTheCheckpointedEpochsToTheListenerWhenItResumes() throws Exception {
        TrainingJob job = job("random", 4);
        Cancellation crash = new Cancellation();
        Future<?> first = threads.submit(() -> trainer(job, dir).train((m, best, n) -> crash.cancel("crash"), crash));
        assertThatThrownBy(() -> first.get(5, TimeUnit.MINUTES)).hasCauseInstanceOf(CancelledException.class);

        List<Integer> handedBack = new ArrayList<>();
        threads.submit(() -> trainer(job, dir).train(new RunTrainer.EpochListener() {
            @Override
            public void onEpoch(EpochMetrics m, int bestEpoch, int samples) {
            }

            @Override
            public void onResume(List<EpochMetrics> history) {
                history.forEach(m -> handedBack.add(m.epoch()));
            }
        }, new Cancellation())).get(5, TimeUnit.MINUTES);

        assertThat(handedBack).containsExactly(1);
    }

    @Test
    void shouldCountTheAttemptsAProcessDiedInAcrossCheckpoints() throws Exception {
        TrainingJob job = job("random", 5);
        Checkpoints checkpoints = new Checkpoints(dir, job.jobId());
        assertThat(checkpoints.attemptStarted()).isZero();
        // The process dies during the attempt: it never ends; the run's checkpoints are written meanwhile.
        threads.submit(() -> trainer(job, dir).train(IGNORE, new Cancellation())).get(5, TimeUnit.MINUTES);

        assertThat(checkpoints.attemptStarted()).as("one attempt died").isEqualTo(1);
        checkpoints.attemptEnded();
        assertThat(checkpoints.attemptStarted()).as("an attempt that ended does not count").isZero();
    }

    @Test
    void shouldTrainTheSameWhetherAloneOrBesideAnotherRun() throws Exception {
        TrainingJob job = job("random", 5);
        TrainingJob other = job("glove", 6);
        RunTrainer.Outcome alone = threads.submit(() -> trainer(job, dir.resolve("alone")).train(IGNORE, new Cancellation()))
                .get(5, TimeUnit.MINUTES);

        Future<RunTrainer.Outcome> a = threads.submit(() -> trainer(job, dir.resolve("together")).train(IGNORE, new Cancellation()));
        Future<RunTrainer.Outcome> b = threads.submit(() -> trainer(other, dir.resolve("together")).train(IGNORE, new Cancellation()));
        RunTrainer.Outcome together = a.get(5, TimeUnit.MINUTES);
        b.get(5, TimeUnit.MINUTES);

        assertThat(losses(together.history())).containsExactlyElementsOf(losses(alone.history()));
        assertThat(predict(together)).containsExactly(predict(alone));
    }

    @Test
    void shouldStopEarlyAfterPatienceAndKeepTheBestEpoch() throws Exception {
        Hyperparameters hp = new Hyperparameters(4, 16, 1e-3, 0.004, 1, true, 32, 32, false);
        TrainingJob job = new TrainingJob(TrainingJob.VERSION, "unit.patience", "unit", DATA.datasetId(), "random", 32, 9,
                hp, 0);
        RunTrainer.Outcome outcome = threads.submit(() -> trainer(job, dir.resolve("p")).train(IGNORE, new Cancellation()))
                .get(5, TimeUnit.MINUTES);

        List<EpochMetrics> h = outcome.history();
        double best = h.stream().mapToDouble(EpochMetrics::valLoss).min().orElseThrow();
        assertThat(h.get(outcome.bestEpoch() - 1).valLoss()).isEqualTo(best);
        assertThat(outcome.bestValLoss()).isEqualTo(best);
        if (h.size() < hp.maxEpochs()) {
            // Stopped by patience 1: the last epoch did not improve on the one before.
            assertThat(h.get(h.size() - 1).improved()).isFalse();
        }
        // The returned network carries the best epoch's weights.
        var validation = data().validation();
        assertThat(Inference.evaluate(outcome.network(), validation.tokens(), validation.labels(), 0).loss())
                .isCloseTo(best, org.assertj.core.api.Assertions.within(1e-5));
    }

    @Test
    void shouldFailARunWhoseLossBecomesNaN() {
        TrainingJob job = job("glove", 4);
        float[] values = DATA.glove().floats();
        java.util.Arrays.fill(values, Float.NaN);
        var poisoned = dev.imdbstream.common.schema.EmbeddingMatrix.of(DATA.datasetId(), SyntheticData.GLOVE,
                SyntheticData.NUM_WORDS, SyntheticData.DIM, 0, 0, "nan", values);
        RunTrainer trainer = new RunTrainer(job, SyntheticData.NUM_WORDS, 0, data(), poisoned,
                new Checkpoints(dir.resolve("nan"), job.jobId()));

        assertThatThrownBy(() -> threads.submit(() -> trainer.train(IGNORE, new Cancellation())).get(5, TimeUnit.MINUTES))
                .hasCauseInstanceOf(RunTrainer.RunFailedException.class).hasMessageContaining("NaN loss");
        assertThat(trainer.history()).isEmpty();
    }

    @Test
    void shouldNameTheReasonOfAFailure() {
        assertThat(RunExecutor.reason(new OutOfMemoryError("Java heap space"))).isEqualTo("out of memory: Java heap space");
        assertThat(RunExecutor.reason(new RuntimeException("Failed to allocate 1024 bytes")))
                .startsWith("out of memory: ");
        assertThat(RunExecutor.reason(new IllegalStateException("boom"))).isEqualTo("IllegalStateException: boom");
    }

    private static List<Double> losses(List<EpochMetrics> history) {
        List<Double> out = new ArrayList<>();
        for (EpochMetrics m : history) {
            out.add(m.trainLoss());
            out.add(m.valLoss());
            out.add(m.valAccuracy());
        }
        return out;
    }

    private static double[] predict(RunTrainer.Outcome outcome) {
        return Inference.predict(outcome.network(), data().test().tokens(), 0);
    }
}
