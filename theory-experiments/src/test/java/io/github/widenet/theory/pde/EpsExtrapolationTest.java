package io.github.widenet.theory.pde;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The ε → 0 extrapolation recovers the intercept of exact lines in ε and in √ε, and averages over t &gt; 0 only. */
class EpsExtrapolationTest {

    private static List<Comparison.Point> points(double[] eps, java.util.function.DoubleUnaryOperator w1) {
        List<Comparison.Point> p = new ArrayList<>();
        for (double e : eps) {
            p.add(new Comparison.Point(800, 1, e, 0.0, 99, 0, 0, 0));          // t = 0 must not enter the mean
            p.add(new Comparison.Point(800, 1, e, 1.0, w1.applyAsDouble(e) - 0.001, 0, 0, 0));
            p.add(new Comparison.Point(800, 1, e, 2.0, w1.applyAsDouble(e) + 0.001, 0, 0, 0));
            p.add(new Comparison.Point(800, 2, e, 1.0, 50, 0, 0, 0));          // another seed: ignored
        }
        return p;
    }

    @Test
    void linearInEpsIsRecoveredExactly() {
        double[] eps = {5e-5, 1e-5, 2e-5};
        EpsExtrapolation ex = EpsExtrapolation.of(points(eps, e -> 0.02 + 300 * e), 800, 1, eps);
        assertArrayEquals(new double[]{1e-5, 2e-5, 5e-5}, ex.eps());
        assertEquals(0.02 + 300 * 1e-5, ex.w1()[0], 1e-12);
        assertEquals(0.02, ex.linear()[0], 1e-10);
        assertEquals(300, ex.linear()[1], 1e-6);
        assertEquals(0, ex.linear()[2], 1e-12);
    }

    @Test
    void orderOfAPowerLawIsItsExponent() {
        double[] eps = {1e-5, 4e-5, 9e-5};
        EpsExtrapolation ex = EpsExtrapolation.of(points(eps, e -> 3 * Math.pow(e, 0.5)), 800, 1, eps);
        assertEquals(0.5, ex.order(), 1e-3);            // ±0.001 jitter around the t-mean leaves the power law
        // the line through three points by hand: slope = Σ(x−x̄)(y−ȳ)/Σ(x−x̄)²
        double xm = (1e-5 + 4e-5 + 9e-5) / 3;
        double ym = (ex.w1()[0] + ex.w1()[1] + ex.w1()[2]) / 3;
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < 3; i++) {
            sxy += (ex.eps()[i] - xm) * (ex.w1()[i] - ym);
            sxx += (ex.eps()[i] - xm) * (ex.eps()[i] - xm);
        }
        assertEquals(sxy / sxx, ex.linear()[1], 1e-6);
        assertEquals(ym - sxy / sxx * xm, ex.linear()[0], 1e-10);
    }

    @Test
    void missingRunIsAnError() {
        double[] eps = {1e-5, 2e-5};
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> EpsExtrapolation.of(points(new double[]{1e-5}, x -> 0.02), 800, 1, eps));
        assertTrue(e.getMessage().contains("eps 2.0E-5"), e.getMessage());
    }

    private static void assertTrue(boolean b) {
        org.junit.jupiter.api.Assertions.assertTrue(b);
    }

    private static void assertTrue(boolean b, String m) {
        org.junit.jupiter.api.Assertions.assertTrue(b, m);
    }
}
