package io.github.widenet.theory.pde;

import io.github.widenet.report.Histogram;
import io.github.widenet.stats.SamplingFloor;

import java.util.SplittableRandom;

/**
 * The yardstick for W1(SGD, PDE) at one time: what W1 an exact i.i.d. N-sample of ρ_t would show, as two
 * {@link SamplingFloor}s from the same {@code reps} draws:
 * <pre>
 *     one-sample floor  W1(ρ̂_N, ρ_t)        (the same comparison as W1(SGD, PDE))
 *     two-sample floor  W1(ρ̂_N, ρ̂'_N)      (two independent N-samples; ≈ √2 × the one-sample floor)
 * </pre>
 */
public record PdeFloor(SamplingFloor oneSample, SamplingFloor twoSample) {

    public static PdeFloor of(PdeSolution pde, int timeIndex, int n, int reps, long seed) {
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
        return new PdeFloor(SamplingFloor.of(one), SamplingFloor.of(two));
    }

    public double oneSampleMean() {
        return oneSample.mean();
    }

    public double oneSampleLow() {
        return oneSample.low();
    }

    public double oneSampleHigh() {
        return oneSample.high();
    }

    public double twoSampleMean() {
        return twoSample.mean();
    }

    public double twoSampleLow() {
        return twoSample.low();
    }

    public double twoSampleHigh() {
        return twoSample.high();
    }
}
