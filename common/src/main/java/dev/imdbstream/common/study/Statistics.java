package dev.imdbstream.common.study;

import java.util.List;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * Summary of one grid cell over seeds: mean, sample standard deviation and the two-sided 95% Student-t
 * confidence interval of the mean ({@code mean ± t(0.975, n-1) · sd / sqrt(n)}). With one seed the
 * standard deviation and interval are undefined (NaN).
 */
public record Statistics(int n, double mean, double sd, double ciLow, double ciHigh) {

    public static Statistics of(List<Double> values) {
        int n = values.size();
        if (n == 0) {
            return new Statistics(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double mean = values.stream().mapToDouble(Double::doubleValue).sum() / n;
        if (n == 1) {
            return new Statistics(1, mean, Double.NaN, Double.NaN, Double.NaN);
        }
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(squares / (n - 1));
        double half = studentTQuantile(0.975, n - 1) * sd / Math.sqrt(n);
        return new Statistics(n, mean, sd, mean - half, mean + half);
    }

    public double halfWidth() {
        return (ciHigh - ciLow) / 2;
    }

    /** The {@code p}-quantile of Student's t distribution with {@code df} degrees of freedom (p in (0.5, 1)). */
    public static double studentTQuantile(double p, int df) {
        if (!(p > 0.5 && p < 1) || df < 1) {
            throw new IllegalArgumentException("p must be in (0.5, 1) and df >= 1");
        }
        // No random generator: only the quantile function is used, never sampling.
        return new TDistribution(null, df).inverseCumulativeProbability(p);
    }
}
