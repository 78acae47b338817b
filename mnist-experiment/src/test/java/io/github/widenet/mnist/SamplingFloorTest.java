package io.github.widenet.mnist;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sampling floor: the laws' moments, the √(1/n + 1/n_max) law, and a point mass with floor 0. */
class SamplingFloorTest {

    @Test
    void lawsHaveTheirMoments() {
        double[] g = SamplingFloor.gaussian(2.0).sample(200_000, new SplittableRandom(1));
        double mean = 0;
        double sq = 0;
        for (double v : g) {
            mean += v / g.length;
            sq += v * v / g.length;
        }
        assertEquals(0.0, mean, 0.02);
        assertEquals(4.0, sq, 0.05);
        // ‖w‖² for w ~ N(0, I/d) has mean 1 and variance 2/d
        int d = 784;
        double[] norms = SamplingFloor.gaussianNorm(d, 1 / Math.sqrt(d)).sample(100_000, new SplittableRandom(2));
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
    void floorFallsLikeTheInverseSquareRootOfTheSmallerSample() {
        SamplingFloor.Law c = SamplingFloor.gaussian(1.0);
        double f1 = SamplingFloor.floor(c, 1_000, 100_000, 1, 20, 3);
        double f2 = SamplingFloor.floor(c, 10_000, 100_000, 1, 20, 4);
        double expectedRatio = Math.sqrt((1e-3 + 1e-5) / (1e-4 + 1e-5));
        assertEquals(expectedRatio, f1 / f2, 0.15 * expectedRatio);
        // Brownian-bridge limit: E W1 ≈ √(2/π)·∫√(Φ(1 − Φ))dx·√(1/n + 1/n_max) = 1.2884·√(1/n + 1/n_max) for N(0, 1)
        // (the integral 1.61474 computed by quadrature outside this code): 0.04095 here
        assertEquals(1.2884 * Math.sqrt(1e-3 + 1e-5), f1, 0.12 * f1);
        assertEquals(0.0, SamplingFloor.floor(SamplingFloor.gaussian(0.0), 100, 1000, 1, 3, 5), 0.0);
    }
}
