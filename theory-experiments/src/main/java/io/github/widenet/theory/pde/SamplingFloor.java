package io.github.widenet.theory.pde;

import io.github.widenet.report.Histogram;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The yardstick for W1(SGD, PDE): what W1 an exact i.i.d. N-sample of ρ_t would show. Monte Carlo over {@code reps}
 * draws of
 * <pre>
 *     one-sample floor  W1(ρ̂_N, ρ_t)        (the same comparison as W1(SGD, PDE))
 *     two-sample floor  W1(ρ̂_N, ρ̂'_N)      (two independent N-samples; ≈ √2 × the one-sample floor)
 * </pre>
 * with their means and 2.5 % / 97.5 % quantiles.
 */
public record SamplingFloor(double oneSampleMean, double oneSampleLow, double oneSampleHigh,
                            double twoSampleMean, double twoSampleLow, double twoSampleHigh) {

    public static SamplingFloor of(PdeSolution pde, int timeIndex, int n, int reps, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] one = new double[reps];
        double[] two = new double[reps];
        double[] exact = pde.sortedPositions()[timeIndex];
        for (int k = 0; k < reps; k++) {
            double[] a = pde.sample(timeIndex, n, rng);
            double[] b = pde.sample(timeIndex, n, rng);
            one[k] = Histogram.wasserstein1(a, exact);
            two[k] = Histogram.wasserstein1(a, b);
        }
        Arrays.sort(one);
        Arrays.sort(two);
        return new SamplingFloor(mean(one), Histogram.quantile(one, 0.025), Histogram.quantile(one, 0.975),
                mean(two), Histogram.quantile(two, 0.025), Histogram.quantile(two, 0.975));
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}
