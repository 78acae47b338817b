package io.github.widenet.theory.pde;

import java.util.Arrays;

/**
 * Lagrangian (particle) solver of ∂_t ρ + ∂_r(ρ v[ρ]) = 0: n equal-mass particles started at the midpoint quantiles of
 * ρ₀ move by dr_j/dt = v[ρ_n](r_j), ρ_n = (1/n) Σ δ_{r_j}, integrated with classical RK4. In one dimension a smooth
 * velocity field keeps the particles ordered, so r_j(t) approximates the quantile function Q_t((j − ½)/n) and the
 * mean over particles is the midpoint rule in the quantile variable (second order in 1/n for smooth integrands).
 * Mass is exactly 1 by construction. Positions are norms: a step that would cross 0 is reflected (|r|; the mean-field
 * velocity vanishes exponentially at 0, so this does not happen in practice); a non-finite position stops the run.
 */
public final class ParticleSolver {

    private final RadialDrift drift;
    private final double[] r;
    private final double[] mass;
    private double time;

    public ParticleSolver(RadialDrift drift, double[] initialPositions) {
        this.drift = drift;
        this.r = initialPositions.clone();
        this.mass = new double[r.length];
        Arrays.fill(mass, 1.0 / r.length);
    }

    public double time() {
        return time;
    }

    /** A copy of the current positions. */
    public double[] positions() {
        return r.clone();
    }

    /** The particle masses (all 1/n). */
    public double[] masses() {
        return mass.clone();
    }

    /** Advances to time {@code until} with RK4 steps of at most {@code dt} (the last one shortened to land exactly). */
    public void advanceTo(double until, double dt) {
        if (!(dt > 0)) {
            throw new IllegalArgumentException("time step must be > 0, got " + dt);
        }
        int n = r.length;
        double[] k1 = new double[n];
        double[] k2 = new double[n];
        double[] k3 = new double[n];
        double[] k4 = new double[n];
        double[] y = new double[n];
        while (time < until - 1e-12 * Math.max(1, until)) {
            double h = Math.min(dt, until - time);
            drift.velocity(r, r, mass, k1);
            stage(y, h / 2, k1);
            drift.velocity(y, y, mass, k2);
            stage(y, h / 2, k2);
            drift.velocity(y, y, mass, k3);
            stage(y, h, k3);
            drift.velocity(y, y, mass, k4);
            for (int j = 0; j < n; j++) {
                r[j] = Math.abs(r[j] + h / 6 * (k1[j] + 2 * k2[j] + 2 * k3[j] + k4[j]));
                if (!Double.isFinite(r[j])) {
                    throw new IllegalStateException("particle solver diverged at t=" + time + " (dt=" + dt + ")");
                }
            }
            time += h;
        }
        time = Math.max(time, until);
    }

    private void stage(double[] y, double h, double[] k) {
        for (int j = 0; j < r.length; j++) {
            y[j] = Math.abs(r[j] + h * k[j]);
        }
    }
}
