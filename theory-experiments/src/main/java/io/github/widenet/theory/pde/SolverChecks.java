package io.github.widenet.theory.pde;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@link SolverVerification} studies run for the report: particle count (n = 125..1000, reference 4000), RK4 step
 * (dt = 0.2..0.05, n = 250), finite volumes on [0, 3] (M = 100..800, with mass errors) and exact linear transport.
 */
public record SolverChecks(double horizon, List<SolverVerification.Row> rows, double[] fvMassErrors, double seconds) {

    public static SolverChecks run(RadialKernels kernels, InitialRadialLaw law, double horizon, PrintStream log) {
        long start = System.nanoTime();
        SolverVerification v = new SolverVerification(kernels, law, horizon);
        List<SolverVerification.Row> rows = new ArrayList<>();
        rows.addAll(v.particleCount(125, 0.02));
        rows.addAll(v.timeStep(250, 0.2));
        double[] mass = new double[4];
        rows.addAll(v.finiteVolume(100, 3.0, 0.5, mass, 4000, 0.02));
        rows.addAll(v.exactSolution(new LinearDrift(1.0, 1.5), 1.0, 1000, 100, 3.0));
        SolverChecks c = new SolverChecks(horizon, rows, mass, (System.nanoTime() - start) / 1e9);
        log.printf(Locale.ROOT, "Solver checks to t = %s in %.1f s%n", horizon, c.seconds());
        return c;
    }

    /** The observed order of the finest refinement of a study (rows whose name starts with {@code prefix}). */
    public double finestOrder(String prefix) {
        double o = Double.NaN;
        for (SolverVerification.Row r : rows) {
            if (r.study().startsWith(prefix) && !Double.isNaN(r.order())) {
                o = r.order();
            }
        }
        return o;
    }

    public double maxMassError() {
        double m = 0;
        for (double e : fvMassErrors) {
            m = Math.max(m, e);
        }
        return m;
    }
}
