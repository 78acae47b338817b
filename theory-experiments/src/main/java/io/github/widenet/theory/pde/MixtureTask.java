package io.github.widenet.theory.pde;

/**
 * The data of Fig. 1: y = ±1 with probability ½ each and x | y ~ N(0, τ_y² I_d), τ₊ = 1 + Δ, τ₋ = 1 − Δ, 0 &lt; Δ &lt; 1.
 * For a unit w of norm r the pre-activation ⟨w, x⟩ given y is N(0, τ_y² r²), which is what reduces the dynamics to r.
 */
public record MixtureTask(double delta, int dimension) {

    public MixtureTask {
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("Delta must be in (0, 1), got " + delta);
        }
        if (dimension < 1) {
            throw new IllegalArgumentException("d must be >= 1, got " + dimension);
        }
    }

    /** τ₊ = 1 + Δ, the scale of class y = +1. */
    public double tauPlus() {
        return 1 + delta;
    }

    /** τ₋ = 1 − Δ, the scale of class y = −1. */
    public double tauMinus() {
        return 1 - delta;
    }

    /** τ_y for label y = +1 (index 0) or y = −1 (index 1). */
    public double tau(int classIndex) {
        return classIndex == 0 ? tauPlus() : tauMinus();
    }

    /** The label of class index 0 (+1) or 1 (−1). */
    public static double label(int classIndex) {
        return classIndex == 0 ? 1.0 : -1.0;
    }
}
