package dev.imdbstream.common.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

class StatisticsTest {

    @Test
    void shouldMatchTabulatedStudentTQuantiles() {
        // Two-sided 95% critical values from standard tables.
        assertThat(Statistics.studentTQuantile(0.975, 1)).isCloseTo(12.7062, within(1e-3));
        assertThat(Statistics.studentTQuantile(0.975, 2)).isCloseTo(4.3027, within(1e-4));
        assertThat(Statistics.studentTQuantile(0.975, 4)).isCloseTo(2.7764, within(1e-4));
        assertThat(Statistics.studentTQuantile(0.975, 9)).isCloseTo(2.2622, within(1e-4));
        assertThat(Statistics.studentTQuantile(0.975, 29)).isCloseTo(2.0452, within(1e-4));
        assertThat(Statistics.studentTQuantile(0.975, 1000)).isCloseTo(1.9623, within(1e-4));
    }

    @Test
    void shouldComputeMeanSampleSdAndTInterval() {
        Statistics s = Statistics.of(List.of(0.70, 0.74, 0.78));

        assertThat(s.n()).isEqualTo(3);
        assertThat(s.mean()).isCloseTo(0.74, within(1e-12));
        assertThat(s.sd()).isCloseTo(0.04, within(1e-12));
        // 0.74 ± 4.3027 * 0.04 / sqrt(3)
        assertThat(s.ciLow()).isCloseTo(0.74 - 0.099366, within(1e-5));
        assertThat(s.ciHigh()).isCloseTo(0.74 + 0.099366, within(1e-5));
        assertThat(s.halfWidth()).isCloseTo(0.099366, within(1e-5));
    }

    @Test
    void shouldLeaveSpreadUndefinedForOneSeed() {
        Statistics s = Statistics.of(List.of(0.5164));

        assertThat(s.mean()).isEqualTo(0.5164);
        assertThat(s.sd()).isNaN();
        assertThat(s.ciLow()).isNaN();
        assertThat(s.ciHigh()).isNaN();
    }

    @Test
    void shouldHaveZeroWidthWhenAllSeedsAgree() {
        Statistics s = Statistics.of(List.of(0.8, 0.8, 0.8, 0.8));

        assertThat(s.sd()).isZero();
        assertThat(s.ciLow()).isEqualTo(0.8, within(1e-12));
        assertThat(s.ciHigh()).isEqualTo(0.8, within(1e-12));
    }
}
