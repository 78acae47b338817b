package io.github.widenet.stats;

import io.github.widenet.report.Histogram;
import io.github.widenet.stats.SamplingFloor.Law;
import io.github.widenet.stats.SamplingFloor.Verdict;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The floor's laws, its N^(-1/2) size against the Brownian-bridge constant, its quantiles, and its test on noise. */
class SamplingFloorTest {

    @Test
    void lawsHaveTheirMoments() {
        double[] g = Law.gaussian(2.0).sample(200_000, new SplittableRandom(1));
        double mean = 0;
        double sq = 0;
        for (double v : g) {
            mean += v / g.length;
            sq += v * v / g.length;
        }
        assertEquals(0.0, mean, 0.02);
        assertEquals(4.0, sq, 0.05);
        int d = 784;                      // ‖w‖² for w ~ N(0, I/d): mean 1, variance 2/d
        double[] norms = Law.gaussianNorm(d, 1 / Math.sqrt(d)).sample(100_000, new SplittableRandom(2));
        double m2 = 0;
        double v2 = 0;
        for (double r : norms) {
            m2 += r * r / norms.length;
        }
        for (double r : norms) {
            v2 += (r * r - m2) * (r * r - m2) / norms.length;
        }
        assertEquals(1.0, m2, 0.002);
        assertEquals(2.0 / d, v2, 0.1 * 2.0 / d);
    }

    @Test
    void floorFallsLikeTheInverseSquareRootAndMatchesTheBrownianBridgeConstant() {
        SamplingFloor f1 = SamplingFloor.twoSample(Law.gaussian(1.0), 1_000, 100_000, 1, 30, 3);
        SamplingFloor f2 = SamplingFloor.twoSample(Law.gaussian(1.0), 10_000, 100_000, 1, 30, 4);
        double expectedRatio = Math.sqrt((1e-3 + 1e-5) / (1e-4 + 1e-5));
        assertEquals(expectedRatio, f1.mean() / f2.mean(), 0.12 * expectedRatio);
        // E W1 ≈ √(2/π)·∫√(Φ(1 − Φ))dx·√(1/n + 1/n_max) = 1.2884·√(1/n + 1/n_max) for N(0, 1) (the integral 1.61474
        // by quadrature outside this code)
        assertEquals(1.2884 * Math.sqrt(1e-3 + 1e-5), f1.mean(), 0.08 * f1.mean());
        assertTrue(f1.low() < f1.mean() && f1.mean() < f1.high());
        assertEquals(0.0, SamplingFloor.twoSample(Law.gaussian(0.0), 100, 1000, 1, 3, 5).high(), 0.0);
    }

    @Test
    void upperBoundIsTheNormalPredictionBound() {
        double[] draws = new double[400];
        SplittableRandom r = new SplittableRandom(9);
        for (int i = 0; i < draws.length; i++) {
            draws[i] = 1 + r.nextGaussian() * 0.1;
        }
        SamplingFloor f = SamplingFloor.of(draws);
        assertEquals(1 + 1.96 * 0.1, f.high(), 0.03);
        assertEquals(1 + 1.966 * 0.1 * Math.sqrt(1.0 + 1.0 / 400), f.upper(1), 0.01);
        assertEquals(1 + 1.966 * 0.1 * Math.sqrt(0.25 + 1.0 / 400), f.upper(4), 0.006);   // sd of the mean of 4: 0.05
    }

    /**
     * Pure sampling noise — the "end" samples are fresh independent draws of the initial law, as are the "start" ones —
     * is called a difference in no more than a few per cent of trials (the test's level is 2.5 %), while a shift of the
     * law by a fifth of its spread (about 8 standard errors of the mean difference here) is found every time.
     */
    @Test
    void pureSamplingNoiseIsNotCalledADifference() {
        Law law = Law.gaussian(1.0);
        int n = 2_000;
        int nMax = 20_000;
        SplittableRandom r = new SplittableRandom(12);
        int exceeds = 0;
        int trials = 0;
        SamplingFloor floor = null;
        for (int f = 0; f < 10; f++) {            // the level holds on average over the floor's own draws
            floor = SamplingFloor.twoSample(law, n, nMax, 1, SamplingFloor.MIN_DRAWS, 100 + f);
            for (int t = 0; t < 30; t++) {
                int k = 1 + t % 3;                // 1 to 3 runs averaged
                double[] end = new double[k];
                double[] start = new double[k];
                for (int j = 0; j < k; j++) {
                    end[j] = Histogram.wasserstein1(law.sample(n, r), law.sample(nMax, r));
                    start[j] = Histogram.wasserstein1(law.sample(n, r), law.sample(nMax, r));
                }
                exceeds += floor.test(end, start) == Verdict.EXCEEDS ? 1 : 0;
                trials++;
            }
        }
        assertTrue(exceeds <= 0.05 * trials, exceeds + " of " + trials + " noise trials called a difference");
        Law shifted = (k, rnd) -> {
            double[] x = law.sample(k, rnd);
            for (int i = 0; i < k; i++) {
                x[i] += 0.2;
            }
            return x;
        };
        for (int t = 0; t < 20; t++) {
            double[] end = {Histogram.wasserstein1(shifted.sample(n, r), law.sample(nMax, r))};
            double[] start = {Histogram.wasserstein1(law.sample(n, r), law.sample(nMax, r))};
            assertEquals(Verdict.EXCEEDS, floor.test(end, start), end[0] + " vs upper " + floor.upper(1) + ", mean " + floor.mean());
        }
        // a start that already differs (e.g. a wrong initial law in the yardstick) makes the verdict unreliable
        double[] startShifted = {Histogram.wasserstein1(shifted.sample(n, r), law.sample(nMax, r))};
        assertEquals(Verdict.UNRELIABLE, floor.test(startShifted, startShifted));
    }

    @Test
    void verdictsNeedEnoughDrawsAndMatchingRuns() {
        SamplingFloor few = SamplingFloor.twoSample(Law.gaussian(1.0), 100, 1000, 1, 3, 1);
        assertThrows(IllegalStateException.class, () -> few.test(new double[]{0.1}, new double[]{0.1}));
        SamplingFloor ok = SamplingFloor.twoSample(Law.gaussian(1.0), 100, 1000, 1, 30, 1);
        assertThrows(IllegalArgumentException.class, () -> ok.test(new double[]{0.1, 0.2}, new double[]{0.1}));
        assertThrows(IllegalArgumentException.class, () -> SamplingFloor.of(new double[]{Double.NaN}));
    }
}
