package io.github.widenet.theory.pde;

import org.apache.commons.math3.special.Erf;

/** Standard normal density φ(u) = e^(−u²/2)/√(2π) and upper tail Φ̄(u) = P(G &gt; u) = ½ erfc(u/√2). */
public final class Gaussian {

    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
    private static final double SQRT_2 = Math.sqrt(2);

    private Gaussian() {
    }

    public static double pdf(double u) {
        return INV_SQRT_2PI * Math.exp(-0.5 * u * u);
    }

    /** Φ̄(u), accurate to double precision in the tails (commons-math's erfc). */
    public static double upperTail(double u) {
        return 0.5 * Erf.erfc(u / SQRT_2);
    }
}
