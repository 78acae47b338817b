package io.github.widenet.theory.pde;

import io.github.widenet.report.Histogram;
import io.github.widenet.stats.SamplingFloor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PDE yardstick fed pure sampling noise: "SGD" units that are exact i.i.d. samples of ρ_t at every time are never
 * called further from the PDE than sampling allows (beyond the test's level), and a shifted sample is.
 */
class FloorVerdictTest {

    private static final int N = 200;
    private static final double EPS = 1e-5;

    /** A synthetic solution: ρ_t = law of 1 + t/2 + (0.1 + 0.05 t)·Z at t = 0, 1, 2 (2,000 sorted quantiles each). */
    private static PdeSolution solution() {
        double[] times = {0, 1, 2};
        double[][] positions = new double[times.length][];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < times.length; i++) {
            double[] x = SamplingFloor.Law.gaussian(0.1 + 0.05 * times[i]).sample(2000, r);
            for (int k = 0; k < x.length; k++) {
                x[k] += 1 + times[i] / 2;
            }
            Arrays.sort(x);
            positions[i] = x;
        }
        return new PdeSolution(times, positions, new double[times.length], 0);
    }

    private static SamplingFloor.Verdict verdict(PdeSolution pde, double finalShift, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Comparison.Point> points = new ArrayList<>();
        for (long s = 1; s <= 4; s++) {
            for (int i = 0; i < pde.times().length; i++) {
                double[] units = pde.sample(i, N, r);
                if (i == pde.times().length - 1) {
                    for (int k = 0; k < units.length; k++) {
                        units[k] += finalShift;
                    }
                }
                points.add(new Comparison.Point(N, s, EPS, pde.times()[i],
                        Histogram.wasserstein1(units, pde.sortedPositions()[i]), 0, 0, 0));
            }
        }
        var floors = Comparison.floors(pde, List.of(N), 60, seed + 1);
        List<Comparison.Summary> s = Comparison.summarise(points, floors, pde.times(), n -> EPS);
        assertEquals(1, s.size());
        return s.get(0).verdict();
    }

    @Test
    void pureSamplingNoiseIsWithinTheFloor() {
        PdeSolution pde = solution();
        int exceeds = 0;
        for (long seed = 0; seed < 20; seed++) {
            SamplingFloor.Verdict v = verdict(pde, 0, 100 * seed);
            exceeds += v == SamplingFloor.Verdict.EXCEEDS ? 1 : 0;
        }
        assertTrue(exceeds <= 2, exceeds + " of 20 noise runs called a difference");
    }

    @Test
    void aShiftedFinalSampleExceedsTheFloor() {
        assertEquals(SamplingFloor.Verdict.EXCEEDS, verdict(solution(), 0.1, 7));
    }
}
