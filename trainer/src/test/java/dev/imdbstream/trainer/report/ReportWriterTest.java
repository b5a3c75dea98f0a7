package dev.imdbstream.trainer.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.imdbstream.common.schema.EpochMetrics;
import dev.imdbstream.common.schema.Hyperparameters;
import dev.imdbstream.common.schema.TrainingJob;
import dev.imdbstream.common.schema.TrainingResult;
import dev.imdbstream.common.study.ResultsCsv;
import dev.imdbstream.common.study.ResultsTable;
import dev.imdbstream.trainer.run.Evaluation;

class ReportWriterTest {

    @TempDir
    Path dir;

    @Test
    void shouldWriteTablesPlotsAndPagesOfAGrid() throws Exception {
        List<TrainingJob> jobs = new ArrayList<>();
        List<TrainingResult> results = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(3);
        for (int size : new int[] {100, 500, 1000}) {
            for (String variant : new String[] {"random", "glove"}) {
                for (long seed = 1; seed <= 3; seed++) {
                    String id = TrainingJob.jobId("grid", variant, size, seed);
                    jobs.add(new TrainingJob(1, id, "grid", "ds", variant, size, seed, Hyperparameters.notebook(), 0));
                    double skill = (variant.equals("glove") ? 0.25 : 0.1) * Math.log10(size) / 3;
                    results.add(result(id, variant, size, seed, skill, random));
                }
            }
        }
        results.set(0, new TrainingResult(1, results.get(0).jobId(), "grid", "random", 100, 1,
                TrainingResult.Status.FAILED, "NaN loss: the training loss became NaN in epoch 3 (batch 2)", 2, 0,
                Double.NaN, null, null, results.get(0).history().subList(0, 2), 12, 0));

        ReportWriter.write(new ReportWriter.Experiment("grid", "ds", jobs, results), dir);

        assertThat(Files.readString(dir.resolve("results.csv"))).startsWith("subset_size,variant,seeds,accuracy_mean")
                .contains("100,random,2,").contains("1000,glove,3,");
        assertThat(Files.readAllLines(dir.resolve("runs.csv"))).hasSize(1 + 18);
        // runs.csv holds what the tables need: read back, it gives the same cells and gains.
        ResultsTable fromCsv = ResultsTable.ofOutcomes(ResultsCsv.readOutcomes(dir.resolve("runs.csv")));
        ResultsTable fromRecords = ResultsTable.of(results);
        assertThat(fromCsv.cells()).hasSameSizeAs(fromRecords.cells());
        for (int i = 0; i < fromCsv.cells().size(); i++) {
            var a = fromCsv.cells().get(i);
            var e = fromRecords.cells().get(i);
            assertThat(a.variant()).isEqualTo(e.variant());
            assertThat(a.seeds()).isEqualTo(e.seeds());
            assertThat(a.failed()).isEqualTo(e.failed());
            assertThat(a.accuracy().mean()).isCloseTo(e.accuracy().mean(), within(1e-6));
            assertThat(a.rocAuc().mean()).isCloseTo(e.rocAuc().mean(), within(1e-6));
        }
        assertThat(fromCsv.gains()).hasSameSizeAs(fromRecords.gains());
        assertThat(Files.readString(dir.resolve("report.md"))).contains("| 100 |").contains("Failed runs")
                .contains("NaN loss").contains("(3 seeds)");
        assertThat(Files.readString(dir.resolve("report.md"))).contains("| subset size | glove − random |")
                .containsPattern("\\| 100 \\| \\+0\\.\\d{4} ± 0\\.\\d{4} \\[[-+]0\\.\\d{4}, \\+0\\.\\d{4}\\] \\(2 seeds\\) \\|")
                .containsPattern("\\| 1000 \\| \\+0\\.\\d{4} ± .* \\(3 seeds\\) \\|");
        assertThat(Files.readString(dir.resolve("index.html"))).contains("<table>")
                .contains("<img src=\"comparison.png\" alt=\"comparison\"");
        assertThat(Files.readString(dir.resolve("report.json"))).contains("\"experimentId\" : \"grid\"");
        for (String png : List.of("comparison.png", "curves-glove-n500-s2.png", "confusion-random-n1000-s3.png",
                "pr-n100.png", "curves-random-n100-s1.png")) {
            assertThat(ImageIO.read(dir.resolve(png).toFile())).as(png).isNotNull();
        }
        assertThat(dir.resolve("confusion-random-n100-s1.png")).doesNotExist();
    }

    @Test
    void shouldPairTheGainOverRandomBySeed() {
        SplittableRandom random = new SplittableRandom(5);
        List<TrainingResult> results = new ArrayList<>();
        for (long seed = 1; seed <= 3; seed++) {
            results.add(withAccuracy(result("r" + seed, "random", 100, seed, 0.1, random), 0.50 + 0.1 * seed));
            results.add(withAccuracy(result("g" + seed, "glove", 100, seed, 0.2, random), 0.52 + 0.1 * seed));
        }
        results.add(withAccuracy(result("g4", "glove", 100, 4, 0.2, random), 0.9));    // no random run to pair with

        ResultsTable table = ResultsTable.of(results);
        ResultsTable.Gain gain = table.gains().get(0);

        assertThat(gain.baseline()).isEqualTo("random");
        assertThat(gain.variant()).isEqualTo("glove");
        assertThat(gain.seeds()).containsExactly(1L, 2L, 3L);
        // Seeds spread the accuracies by 0.1 each, but the paired differences are all 0.02: no spread at all.
        assertThat(gain.accuracy().mean()).isCloseTo(0.02, within(1e-12));
        assertThat(gain.accuracy().sd()).isCloseTo(0, within(1e-12));
        // And the other way round against glove, the second baseline.
        ResultsTable.Gain overGlove = table.gains().get(1);
        assertThat(overGlove.baseline()).isEqualTo("glove");
        assertThat(overGlove.variant()).isEqualTo("random");
        assertThat(overGlove.accuracy().mean()).isCloseTo(-0.02, within(1e-12));
        assertThat(table.gains()).hasSize(2);
    }

    private static TrainingResult withAccuracy(TrainingResult r, double accuracy) {
        var t = r.test();
        return new TrainingResult(r.schemaVersion(), r.jobId(), r.experimentId(), r.variant(), r.subsetSize(), r.seed(),
                r.status(), r.error(), r.epochsRun(), r.bestEpoch(), r.bestValLoss(),
                new TrainingResult.TestMetrics(t.n(), t.loss(), accuracy, t.rocAuc(), t.confusion(), t.perClass(),
                        t.prCurve()), r.modelId(), r.history(), r.trainSeconds(), r.finishedAtMs());
    }

    private static TrainingResult result(String id, String variant, int size, long seed, double skill, SplittableRandom random) {
        List<EpochMetrics> history = new ArrayList<>();
        for (int e = 1; e <= 6; e++) {
            double t = e / 6.0;
            history.add(new EpochMetrics(1, id, "grid", variant, size, seed, e, 20, 0.69 - 0.4 * t, 0.5 + 0.45 * t,
                    0.69 - skill * t, 0.5 + skill * t, 10, true, 0));
        }
        int n = 400;
        double[] p = new double[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            p[i] = Math.min(1, Math.max(0, 0.5 + (y[i] == 1 ? skill : -skill) + 0.3 * random.nextGaussian()));
        }
        return new TrainingResult(1, id, "grid", variant, size, seed, TrainingResult.Status.SUCCEEDED, null, 6, 6,
                0.69 - skill, Evaluation.testMetrics(p, y, 200), id, history, 60, 0);
    }
}
