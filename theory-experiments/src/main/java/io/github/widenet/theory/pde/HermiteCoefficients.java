package io.github.widenet.theory.pde;

/**
 * Hermite coefficients of a ↦ σ(aG), G ~ N(0, 1), for the piecewise linear σ, in closed form:
 * <pre>
 *     α_k(a) = E[σ(aG) He_k(G)],   σ(t) = s1 + κ[(t − t1)₊ − (t − t2)₊]
 *     E[(aG − t)₊]        = a φ(t/a) − t Φ̄(t/a)
 *     E[(aG − t)₊ G]      = a Φ̄(t/a)
 *     E[(aG − t)₊ He_k G] = a He_{k−2}(t/a) φ(t/a)        (k ≥ 2, Gaussian integration by parts)
 * </pre>
 * and their derivatives in a: d/da of the three brackets are φ(u), Φ̄(u) + uφ(u) and h_{k−2}(u) + u h_{k−1}(u) with
 * u = t/a, h_j = He_j φ (using h_j' = −h_{j+1}). Not thread-safe (one scratch array per instance). He_k are the probabilists' Hermite polynomials, so
 * E[σ(aG)σ(bG')] = Σ_k c^k α_k(a) α_k(b)/k! for unit Gaussians of correlation c (Mehler).
 */
public final class HermiteCoefficients {

    private static final double TINY_SCALE = 1e-12;
    private final PiecewiseLinearSigma sigma;
    private final int maxOrder;
    private final double[] scratch;

    public HermiteCoefficients(PiecewiseLinearSigma sigma, int maxOrder) {
        if (maxOrder < 0) {
            throw new IllegalArgumentException("maxOrder must be >= 0, got " + maxOrder);
        }
        this.sigma = sigma;
        this.maxOrder = maxOrder;
        this.scratch = new double[maxOrder + 1];
    }

    public int maxOrder() {
        return maxOrder;
    }

    /** Fills alpha[k] = α_k(a) and dAlpha[k] = α_k'(a) for k = 0..maxOrder (dAlpha may be null); a ≥ 0. */
    public void evaluate(double a, double[] alpha, double[] dAlpha) {
        double s = Math.max(a, TINY_SCALE);
        java.util.Arrays.fill(alpha, 0, maxOrder + 1, 0.0);
        if (dAlpha != null) {
            java.util.Arrays.fill(dAlpha, 0, maxOrder + 1, 0.0);
        }
        alpha[0] = sigma.s1();
        addRamp(s, sigma.t1(), sigma.slope(), alpha, dAlpha);
        addRamp(s, sigma.t2(), -sigma.slope(), alpha, dAlpha);
    }

    /** Adds weight·(coefficients of (aG − t)₊). */
    private void addRamp(double a, double t, double weight, double[] alpha, double[] dAlpha) {
        double u = t / a;
        double phi = Gaussian.pdf(u);
        double tail = Gaussian.upperTail(u);
        alpha[0] += weight * (a * phi - t * tail);
        if (dAlpha != null) {
            dAlpha[0] += weight * phi;
        }
        if (maxOrder >= 1) {
            alpha[1] += weight * a * tail;
            if (dAlpha != null) {
                dAlpha[1] += weight * (tail + u * phi);
            }
        }
        if (maxOrder < 2) {
            return;
        }
        // He_{j+1}(u) = u He_j(u) − j He_{j−1}(u), j = 0..maxOrder−1
        double[] he = scratch;
        he[0] = 1;
        if (maxOrder > 1) {
            he[1] = u;
        }
        for (int j = 1; j + 1 < maxOrder; j++) {
            he[j + 1] = u * he[j] - j * he[j - 1];
        }
        for (int k = 2; k <= maxOrder; k++) {
            alpha[k] += weight * a * he[k - 2] * phi;
            if (dAlpha != null) {
                dAlpha[k] += weight * (he[k - 2] + u * he[k - 1]) * phi;
            }
        }
    }
}
