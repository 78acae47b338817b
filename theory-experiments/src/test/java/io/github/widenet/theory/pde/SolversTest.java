package io.github.widenet.theory.pde;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The particle and finite-volume solvers: exact solutions, conservation, convergence, the gradient-flow identity. */
class SolversTest {

    private static final MixtureTask TASK = new MixtureTask(0.8, 40);
    private static final RadialKernels KERNELS = new RadialKernels(TASK, PiecewiseLinearSigma.PAPER);
    private static final InitialRadialLaw LAW = new InitialRadialLaw(40, 0.8);

    @Test
    void particlesFollowTheExactLinearTransport() {
        LinearDrift drift = new LinearDrift(1.3, 1.5);
        double[] r0 = LAW.midpointQuantiles(200);
        ParticleSolver ps = new ParticleSolver(drift, r0);
        ps.advanceTo(2.0, 0.05);
        double[] r = ps.positions();
        for (int j = 0; j < r.length; j++) {
            assertEquals(drift.flow(r0[j], 2.0), r[j], 1e-7);
        }
    }

    @Test
    void finiteVolumesConserveMassAndConvergeToTheExactTransport() {
        LinearDrift drift = new LinearDrift(1.0, 1.5);
        double grow = Math.exp(1.0);
        double prev = Double.NaN;
        for (int m = 100; m <= 800; m *= 2) {
            FiniteVolumeSolver fv = new FiniteVolumeSolver(drift, LAW::cdf, 3.0, m);
            double mass0 = fv.mass();
            assertEquals(1.0, mass0, 1e-12);
            fv.advanceTo(1.0, 0.9);
            assertEquals(mass0, fv.mass(), 1e-13);
            double err = CdfDistance.w1(fv::cdf, x -> LAW.cdf(1.5 + (x - 1.5) * grow), 3.0, 40_000);
            if (!Double.isNaN(prev)) {
                double order = Math.log(prev / err) / Math.log(2);
                assertTrue(order > 0.6 && order < 1.3, "observed order " + order + " at M=" + m);
            }
            prev = err;
        }
        assertTrue(prev < 0.01, "W1 at M=800: " + prev);
    }

    @Test
    void rk4IsFourthOrderInTime() {
        double ref = meanAt(200, 0.2 / 32, 2.0);
        double e1 = Math.abs(meanAt(200, 0.2, 2.0) - ref);
        double e2 = Math.abs(meanAt(200, 0.1, 2.0) - ref);
        double order = Math.log(e1 / e2) / Math.log(2);
        assertTrue(order > 3.5 && order < 5.5, "observed RK4 order " + order);
    }

    @Test
    void particleAndFiniteVolumeSolutionsAgree() {
        ParticleSolver ps = new ParticleSolver(new MeanFieldDrift(KERNELS), LAW.midpointQuantiles(2000));
        ps.advanceTo(1.5, 0.02);
        double[] r = ps.positions();
        Arrays.sort(r);
        double prev = Double.POSITIVE_INFINITY;
        for (int m = 200; m <= 800; m *= 2) {
            FiniteVolumeSolver fv = new FiniteVolumeSolver(new MeanFieldDrift(KERNELS), LAW::cdf, 3.0, m);
            fv.advanceTo(1.5, 0.5);
            double w = CdfDistance.w1(fv::cdf, CdfDistance.empirical(r), 3.0, 40_000);
            assertTrue(w < prev, "W1 must fall as M doubles: " + w + " after " + prev);
            prev = w;
        }
        assertTrue(prev < 0.05, "FV (M=800) vs particles: W1 " + prev);
    }

    /** Gradient flow: dR/dt = −4 ∫ |∂_r Ψ|² dρ, and R never increases. */
    @Test
    void riskDecaysAtTheRateOfTheDissipation() {
        int n = 500;
        ParticleSolver ps = new ParticleSolver(new MeanFieldDrift(KERNELS), LAW.midpointQuantiles(n));
        double prevRisk = KERNELS.risk(ps.positions(), ps.masses());
        for (double t = 0.5; t <= 6; t += 0.5) {
            ps.advanceTo(t, 0.01);
            double[] r = ps.positions();
            double[] m = ps.masses();
            double risk = KERNELS.risk(r, m);
            assertTrue(risk <= prevRisk + 1e-12, "risk increased at t=" + t);
            prevRisk = risk;
            double[] g = new double[n];
            KERNELS.psiDerivativeAtAtoms(r, m, g);
            double dissipation = 0;
            for (int j = 0; j < n; j++) {
                dissipation += m[j] * g[j] * g[j];
            }
            double h = 1e-3;
            ParticleSolver ahead = new ParticleSolver(new MeanFieldDrift(KERNELS), r);
            ahead.advanceTo(h, h / 4);
            ParticleSolver behind = new ParticleSolver(new MeanFieldDrift(KERNELS), r);
            behind.advanceTo(h, h / 4);
            double rate = (KERNELS.risk(ahead.positions(), m) - risk) / h;
            assertEquals(-4 * dissipation, rate, 0.01 * 4 * dissipation + 1e-9, "t=" + t);
        }
    }

    private static double meanAt(int n, double dt, double t) {
        ParticleSolver ps = new ParticleSolver(new MeanFieldDrift(KERNELS), LAW.midpointQuantiles(n));
        ps.advanceTo(t, dt);
        return Arrays.stream(ps.positions()).average().orElseThrow();
    }
}
