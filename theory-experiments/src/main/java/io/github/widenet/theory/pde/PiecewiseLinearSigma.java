package io.github.widenet.theory.pde;

/**
 * The activation of Mei–Montanari–Nguyen's Fig. 1: σ(t) = s1 for t ≤ t1, s2 for t ≥ t2, linear in between, i.e.
 * <pre>
 *     σ(t) = s1 + κ·[(t − t1)₊ − (t − t2)₊],   κ = (s2 − s1)/(t2 − t1),   σ'(t) = κ·1{t1 &lt; t &lt; t2}
 * </pre>
 * (σ' at the two kinks is taken as 0, the value of the one-sided derivative on the flat side).
 */
public record PiecewiseLinearSigma(double t1, double t2, double s1, double s2) {

    /** The constants used here: t1 = 0.5, t2 = 1.5, s1 = −2.5, s2 = 7.5. */
    public static final PiecewiseLinearSigma PAPER = new PiecewiseLinearSigma(0.5, 1.5, -2.5, 7.5);

    public PiecewiseLinearSigma {
        if (!(t1 < t2) || !Double.isFinite(t1) || !Double.isFinite(t2) || !Double.isFinite(s1) || !Double.isFinite(s2)) {
            throw new IllegalArgumentException("sigma needs finite t1 < t2 and finite s1, s2; got t1=" + t1 + ", t2=" + t2
                    + ", s1=" + s1 + ", s2=" + s2);
        }
    }

    /** κ = (s2 − s1)/(t2 − t1), the slope between the kinks. */
    public double slope() {
        return (s2 - s1) / (t2 - t1);
    }

    /** σ(t). */
    public double value(double t) {
        if (t <= t1) {
            return s1;
        }
        if (t >= t2) {
            return s2;
        }
        return s1 + slope() * (t - t1);
    }

    /** σ'(t) = κ on (t1, t2), 0 elsewhere. */
    public double derivative(double t) {
        return t > t1 && t < t2 ? slope() : 0.0;
    }
}
