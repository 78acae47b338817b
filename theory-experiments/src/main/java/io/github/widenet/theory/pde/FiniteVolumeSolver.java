package io.github.widenet.theory.pde;

import java.util.function.DoubleUnaryOperator;

/**
 * Conservative finite-volume solver of ∂_t ρ + ∂_r(ρ v[ρ]) = 0 on [0, R] with zero flux through both ends: cell
 * averages ρ_i on M equal cells, first-order upwind fluxes F_{i+½} = v⁺ ρ_i + v⁻ ρ_{i+1} with v = v[ρ](r_{i+½}) at the
 * faces (ρ seen through its cell masses at the cell centres), forward Euler with time step cfl·Δr / max|v|:
 * <pre>
 *     ρ_i ← ρ_i − (Δt/Δr) (F_{i+½} − F_{i−½})
 * </pre>
 * Total mass Σ ρ_i Δr changes only by rounding (the fluxes telescope). First order in Δr and Δt.
 */
public final class FiniteVolumeSolver {

    private final RadialDrift drift;
    private final double width;
    private final double[] rho;
    private final double[] centres;
    private final double[] faces;
    private double time;

    /** Cell averages of the law with CDF {@code cdf} on M cells of [0, R]; mass beyond R is dropped (report it). */
    public FiniteVolumeSolver(RadialDrift drift, DoubleUnaryOperator cdf, double radius, int cells) {
        if (cells < 2 || !(radius > 0)) {
            throw new IllegalArgumentException("need >= 2 cells and radius > 0, got " + cells + ", " + radius);
        }
        this.drift = drift;
        this.width = radius / cells;
        rho = new double[cells];
        centres = new double[cells];
        faces = new double[cells + 1];
        for (int i = 0; i <= cells; i++) {
            faces[i] = i * width;
        }
        for (int i = 0; i < cells; i++) {
            centres[i] = (i + 0.5) * width;
            rho[i] = (cdf.applyAsDouble(faces[i + 1]) - cdf.applyAsDouble(faces[i])) / width;
        }
    }

    public double time() {
        return time;
    }

    /** Σ ρ_i Δr. */
    public double mass() {
        double m = 0;
        for (double v : rho) {
            m += v * width;
        }
        return m;
    }

    /** Cell masses ρ_i Δr. */
    public double[] cellMasses() {
        double[] m = new double[rho.length];
        for (int i = 0; i < rho.length; i++) {
            m[i] = rho[i] * width;
        }
        return m;
    }

    public double[] density() {
        return rho.clone();
    }

    /** Advances to {@code until} with Euler steps of cfl·Δr/max|v| (cfl in (0, 1]); returns the number of steps. */
    public long advanceTo(double until, double cfl) {
        if (!(cfl > 0 && cfl <= 1)) {
            throw new IllegalArgumentException("CFL number must be in (0, 1], got " + cfl);
        }
        int m = rho.length;
        double[] v = new double[m + 1];
        double[] flux = new double[m + 1];
        long steps = 0;
        while (time < until - 1e-12 * Math.max(1, until)) {
            drift.velocity(faces, centres, cellMasses(), v);
            double vmax = 1e-12;
            for (int i = 1; i < m; i++) {
                vmax = Math.max(vmax, Math.abs(v[i]));
            }
            double dt = Math.min(cfl * width / vmax, until - time);
            flux[0] = 0;
            flux[m] = 0;
            for (int i = 1; i < m; i++) {
                flux[i] = Math.max(v[i], 0) * rho[i - 1] + Math.min(v[i], 0) * rho[i];
            }
            for (int i = 0; i < m; i++) {
                rho[i] -= dt / width * (flux[i + 1] - flux[i]);
                if (!Double.isFinite(rho[i])) {
                    throw new IllegalStateException("finite-volume solver diverged at t=" + time);
                }
            }
            time += dt;
            steps++;
        }
        return steps;
    }

    /** CDF of the piecewise-constant density at x. */
    public double cdf(double x) {
        if (x <= 0) {
            return 0;
        }
        double f = 0;
        for (int i = 0; i < rho.length; i++) {
            if (x >= faces[i + 1]) {
                f += rho[i] * width;
            } else {
                f += rho[i] * (x - faces[i]);
                break;
            }
        }
        return f;
    }
}
