package io.github.widenet.theory.pde;

import org.apache.commons.math3.special.Gamma;

/**
 * The law of r = ‖w‖ for w ~ N(0, s²/d · I_d): r = (s/√d)·χ_d, so P(r ≤ x) = P(d/2, d x²/(2 s²)) with P the
 * regularised lower incomplete gamma function. Quantiles by bisection on that CDF.
 */
public record InitialRadialLaw(int dimension, double scale) {

    public InitialRadialLaw {
        if (dimension < 1 || !(scale > 0)) {
            throw new IllegalArgumentException("need d >= 1 and scale > 0, got d=" + dimension + ", scale=" + scale);
        }
    }

    /** P(r ≤ x). */
    public double cdf(double x) {
        if (x <= 0) {
            return 0;
        }
        return Gamma.regularizedGammaP(dimension / 2.0, dimension * x * x / (2 * scale * scale), 1e-15, 10_000);
    }

    /** The q-quantile, 0 &lt; q &lt; 1, to about 1e−14 relative. */
    public double quantile(double q) {
        if (!(q > 0 && q < 1)) {
            throw new IllegalArgumentException("quantile level must be in (0, 1), got " + q);
        }
        double lo = 0;
        double hi = scale;
        while (cdf(hi) < q) {
            hi *= 2;
        }
        for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
            double mid = 0.5 * (lo + hi);
            if (cdf(mid) < q) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    /** The midpoint quantiles r_j = F⁻¹((j − ½)/n), j = 1..n: the n-point quantisation of the law. */
    public double[] midpointQuantiles(int n) {
        double[] r = new double[n];
        for (int j = 0; j < n; j++) {
            r[j] = quantile((j + 0.5) / n);
        }
        return r;
    }
}
