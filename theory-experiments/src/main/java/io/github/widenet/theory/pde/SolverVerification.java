package io.github.widenet.theory.pde;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Numerical checks of the PDE solvers, reported with the experiment:
 * <ul>
 *   <li>particle count n (quantile particles): error of the mean norm at time T against n_ref = 4 n_max;</li>
 *   <li>time step of RK4: error of the mean norm against dt/8;</li>
 *   <li>finite volumes: W1 to the particle reference as the cell count M doubles, and the mass error Σρ_iΔr − 1;</li>
 *   <li>exact solution (linear drift v = −λ(r − r*)): particle error and finite-volume W1 to the transported law.</li>
 * </ul>
 * Observed order between consecutive refinements: p = log₂(e_h / e_{h/2}).
 */
public final class SolverVerification {

    /** One refinement study: the resolution (n, 1/dt or M), the error, and the observed order against the previous row. */
    public record Row(String study, double resolution, double error, double order) {
    }

    private final RadialKernels kernels;
    private final InitialRadialLaw law;
    private final double horizon;

    public SolverVerification(RadialKernels kernels, InitialRadialLaw law, double horizon) {
        this.kernels = kernels;
        this.law = law;
        this.horizon = horizon;
    }

    public double horizon() {
        return horizon;
    }

    /** Particle-count study at fixed dt: error of mean r at the horizon (n = base, 2·base, 4·base, 8·base). */
    public List<Row> particleCount(int base, double dt) {
        double refMean = mean(particles(32 * base, dt));
        List<Row> rows = new ArrayList<>();
        for (int n = base; n <= 8 * base; n *= 2) {
            rows.add(row("particles n (mean r)", n, Math.abs(mean(particles(n, dt)) - refMean), rows));
        }
        return rows;
    }

    /** RK4 step study at fixed n: error of mean r at the horizon against dt_min/8 (dt = dtMax, /2, /4). */
    public List<Row> timeStep(int n, double dtMax) {
        double refMean = mean(particles(n, dtMax / 32));
        List<Row> rows = new ArrayList<>();
        for (double dt = dtMax; dt >= dtMax / 4 - 1e-15; dt /= 2) {
            rows.add(row("RK4 step 1/dt (mean r)", 1 / dt, Math.abs(mean(particles(n, dt)) - refMean), rows));
        }
        return rows;
    }

    /** Finite-volume study on [0, radius]: W1 to a particle reference for M = base..8·base; also records mass errors. */
    public List<Row> finiteVolume(int base, double radius, double cfl, double[] massErrors, int refParticles,
                                  double dt) {
        double[] ref = particles(refParticles, dt);
        List<Row> rows = new ArrayList<>();
        int i = 0;
        for (int m = base; m <= 8 * base; m *= 2) {
            FiniteVolumeSolver fv = new FiniteVolumeSolver(new MeanFieldDrift(kernels), law::cdf, radius, m);
            double initial = fv.mass();
            fv.advanceTo(horizon, cfl);
            massErrors[i++] = Math.abs(fv.mass() - initial);
            rows.add(row("finite volume M (W1 to particles)", m,
                    CdfDistance.w1(fv::cdf, CdfDistance.empirical(ref), radius, 40_000), rows));
        }
        return rows;
    }

    /** Exact transport under v = −λ(r − r*) to time t: particle max error and finite-volume W1 for M = base..8·base. */
    public List<Row> exactSolution(LinearDrift drift, double t, int particles, int base, double radius) {
        List<Row> rows = new ArrayList<>();
        double[] r0 = law.midpointQuantiles(particles);
        ParticleSolver ps = new ParticleSolver(drift, r0);
        ps.advanceTo(t, 0.05);
        double[] r = ps.positions();
        double err = 0;
        for (int j = 0; j < r.length; j++) {
            err = Math.max(err, Math.abs(r[j] - drift.flow(r0[j], t)));
        }
        rows.add(new Row("exact: particles, max |r_j − r_j(t)|", particles, err, Double.NaN));
        double grow = Math.exp(drift.rate() * t);
        java.util.function.DoubleUnaryOperator exact = x -> law.cdf(drift.centre() + (x - drift.centre()) * grow);
        List<Row> fvRows = new ArrayList<>();
        for (int m = base; m <= 8 * base; m *= 2) {
            FiniteVolumeSolver fv = new FiniteVolumeSolver(drift, law::cdf, radius, m);
            fv.advanceTo(t, 0.9);
            fvRows.add(row("exact: finite volume M (W1)", m, CdfDistance.w1(fv::cdf, exact, radius, 40_000), fvRows));
        }
        rows.addAll(fvRows);
        return rows;
    }

    private double[] particles(int n, double dt) {
        ParticleSolver ps = new ParticleSolver(new MeanFieldDrift(kernels), law.midpointQuantiles(n));
        ps.advanceTo(horizon, dt);
        double[] r = ps.positions();
        Arrays.sort(r);
        return r;
    }

    private static double mean(double[] r) {
        double s = 0;
        for (double v : r) {
            s += v;
        }
        return s / r.length;
    }

    private static Row row(String study, double resolution, double error, List<Row> previous) {
        double order = previous.isEmpty() ? Double.NaN
                : Math.log(previous.get(previous.size() - 1).error() / error)
                / Math.log(resolution / previous.get(previous.size() - 1).resolution());
        return new Row(study, resolution, error, order);
    }
}
