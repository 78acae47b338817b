package io.github.widenet.theory.pde;

/**
 * A test drift with an exact solution: v(r) = −λ (r − r*), a pure quadratic potential with no interaction. Every
 * particle moves as r(t) = r* + (r(0) − r*) e^(−λt), so the density is ρ_t(r) = e^(λt) ρ₀(r* + (r − r*) e^(λt)) and
 * the quantile function is Q_t(q) = r* + (Q₀(q) − r*) e^(−λt).
 */
public record LinearDrift(double rate, double centre) implements RadialDrift {

    @Override
    public void velocity(double[] at, double[] r, double[] mass, double[] out) {
        for (int i = 0; i < at.length; i++) {
            out[i] = -rate * (at[i] - centre);
        }
    }

    /** The exact position at time t of a particle that started at r0. */
    public double flow(double r0, double t) {
        return centre + (r0 - centre) * Math.exp(-rate * t);
    }
}
