package io.github.widenet.theory.pde;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/**
 * W1 between two laws on [0, R] through their CDFs, W1 = ∫₀^R |F(x) − G(x)| dx, by the midpoint rule on a fine grid;
 * and the CDF of a sorted sample. Used where one side is a density (finite volumes, exact solutions).
 */
public final class CdfDistance {

    private CdfDistance() {
    }

    /** ∫₀^R |F − G| dx with {@code points} midpoint nodes. */
    public static double w1(DoubleUnaryOperator f, DoubleUnaryOperator g, double radius, int points) {
        double h = radius / points;
        double s = 0;
        for (int i = 0; i < points; i++) {
            double x = (i + 0.5) * h;
            s += Math.abs(f.applyAsDouble(x) - g.applyAsDouble(x));
        }
        return s * h;
    }

    /** The empirical CDF of a sorted sample: x ↦ #{r_j ≤ x}/n. */
    public static DoubleUnaryOperator empirical(double[] sorted) {
        return x -> {
            int i = Arrays.binarySearch(sorted, x);
            int count = i >= 0 ? i + 1 : -i - 1;
            return count / (double) sorted.length;
        };
    }
}
