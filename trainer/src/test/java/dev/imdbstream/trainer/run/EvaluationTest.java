package dev.imdbstream.trainer.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import dev.imdbstream.common.schema.TrainingResult.TestMetrics;

class EvaluationTest {

    // Hand-checked the way scikit-learn defines roc_auc_score, average_precision_score and log_loss.
    private static final double[] P = {0.9, 0.8, 0.4, 0.35, 0.3, 0.1};
    private static final int[] Y = {1, 0, 1, 1, 0, 0};

    @Test
    void shouldCountConfusionAtHalf() {
        TestMetrics m = Evaluation.testMetrics(P, Y, 100);

        // predicted positive: 0.9 (tp), 0.8 (fp); negative: 0.4, 0.35 (fn), 0.3, 0.1 (tn)
        assertThat(m.confusion()).isDeepEqualTo(new long[][] {{2, 1}, {2, 1}});
        assertThat(m.accuracy()).isCloseTo(3 / 6.0, within(1e-12));
        assertThat(m.perClass().get(1).precision()).isCloseTo(0.5, within(1e-12));
        assertThat(m.perClass().get(1).recall()).isCloseTo(1 / 3.0, within(1e-12));
        assertThat(m.perClass().get(1).f1()).isCloseTo(0.4, within(1e-12));
        assertThat(m.perClass().get(0).precision()).isCloseTo(0.5, within(1e-12));
        assertThat(m.perClass().get(0).recall()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(m.perClass().get(0).support()).isEqualTo(3);
        assertThat(m.n()).isEqualTo(6);
    }

    @Test
    void shouldMatchScikitLearnRankingMetrics() {
        TestMetrics m = Evaluation.testMetrics(P, Y, 100);

        // Positive-over-negative pairs: 0.9 beats 3, 0.4 and 0.35 beat 2 each: 7 of 9.
        assertThat(m.rocAuc()).isCloseTo(7 / 9.0, within(1e-12));
        // AP: thresholds 0.9 (P=1,R=1/3), 0.8 (1/2,1/3), 0.4 (2/3,2/3), 0.35 (3/4,1) => 1/3 + 1/3*2/3 + 1/3*3/4
        assertThat(m.prCurve().averagePrecision()).isCloseTo(1 / 3.0 + 2 / 9.0 + 1 / 4.0, within(1e-12));
        assertThat(m.loss()).isCloseTo(
                -(Math.log(0.9) + Math.log(0.2) + Math.log(0.4) + Math.log(0.35) + Math.log(0.7) + Math.log(0.9)) / 6,
                within(1e-6));
    }

    @Test
    void shouldCountTiesAsHalfInRocAuc() {
        assertThat(Evaluation.rocAuc(new double[] {0.5, 0.5}, new int[] {1, 0})).isCloseTo(0.5, within(1e-12));
        assertThat(Evaluation.rocAuc(new double[] {0.5, 0.5}, new int[] {1, 1})).isNaN();
    }

    @Test
    void shouldDownSampleThePrCurveKeepingItsEnds() {
        int n = 1000;
        double[] p = new double[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i / (double) n;
            y[i] = i % 3 == 0 ? 1 : 0;
        }
        var curve = Evaluation.prCurve(p, y, 50);

        assertThat(curve.thresholds()).hasSize(50);
        assertThat(curve.thresholds()[0]).isCloseTo(0.999, within(1e-6));
        assertThat(curve.recall()[49]).isEqualTo(1.0);
    }
}
