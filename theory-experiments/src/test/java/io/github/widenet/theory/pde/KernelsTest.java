package io.github.widenet.theory.pde;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The closed forms against independent references: quadrature, finite differences, Monte Carlo in R^d, plain loops. */
class KernelsTest {

    private static final PiecewiseLinearSigma SIGMA = PiecewiseLinearSigma.PAPER;
    private static final MixtureTask TASK = new MixtureTask(0.8, 40);

    /** E[σ(aG) He_k(G)] by the trapezoid rule on [−14, 14] with 2·10⁶ nodes (σ is continuous, so O(h²)). */
    private static double quadrature(double a, int k) {
        int n = 2_000_000;
        double lo = -14;
        double h = 28.0 / n;
        double s = 0;
        for (int i = 0; i <= n; i++) {
            double g = lo + i * h;
            double he0 = 1;
            double he1 = g;
            double he = k == 0 ? 1 : g;
            for (int j = 1; j < k; j++) {
                he = g * he1 - j * he0;
                he0 = he1;
                he1 = he;
            }
            double w = (i == 0 || i == n) ? 0.5 : 1;
            s += w * SIGMA.value(a * g) * he * Gaussian.pdf(g);
        }
        return s * h;
    }

    @Test
    void hermiteCoefficientsMatchQuadrature() {
        HermiteCoefficients h = new HermiteCoefficients(SIGMA, 6);
        double[] alpha = new double[7];
        for (double a : new double[]{0.3, 1.1, 2.7}) {
            h.evaluate(a, alpha, null);
            for (int k = 0; k <= 6; k++) {
                assertEquals(quadrature(a, k), alpha[k], 1e-7, "alpha_" + k + "(" + a + ")");
            }
        }
    }

    @Test
    void hermiteDerivativesMatchCentralDifferences() {
        HermiteCoefficients h = new HermiteCoefficients(SIGMA, 30);
        double[] a0 = new double[31];
        double[] d0 = new double[31];
        double[] ap = new double[31];
        double[] am = new double[31];
        double step = 1e-6;
        for (double a : new double[]{0.2, 0.9, 1.7, 4.0}) {
            h.evaluate(a, a0, d0);
            h.evaluate(a + step, ap, null);
            h.evaluate(a - step, am, null);
            for (int k = 0; k <= 30; k++) {
                double fd = (ap[k] - am[k]) / (2 * step);
                assertEquals(fd, d0[k], 1e-6 * Math.max(1, Math.abs(fd)), "d alpha_" + k + "(" + a + ")");
            }
        }
    }

    @Test
    void angleMomentsMatchMonteCarlo() {
        SplittableRandom rng = new SplittableRandom(3);
        int d = 40;
        int n = 200_000;
        double m2 = 0;
        double m4 = 0;
        for (int i = 0; i < n; i++) {
            double[] u = unit(rng, d);
            double[] v = unit(rng, d);
            double c = dot(u, v);
            m2 += c * c / n;
            m4 += c * c * c * c / n;
        }
        double[] exact = SphereAngleMoments.of(d, 4);
        assertEquals(1.0 / d, exact[2], 1e-15);
        assertEquals(exact[2], m2, 4 * Math.sqrt(2.0 / n) / d);
        assertEquals(exact[4], m4, 0.05 * exact[4]);
    }

    /** V and W against Monte Carlo over x and over a uniformly random second direction in R^40. */
    @Test
    void potentialAndInteractionMatchMonteCarloInFullDimension() {
        RadialKernels k = new RadialKernels(TASK, SIGMA);
        SplittableRandom rng = new SplittableRandom(11);
        int d = TASK.dimension();
        double r = 1.3;
        double rp = 0.9;
        int n = 400_000;
        double v = 0;
        double v2 = 0;
        double w = 0;
        double w2 = 0;
        for (int i = 0; i < n; i++) {
            int c = rng.nextBoolean() ? 0 : 1;
            double tau = TASK.tau(c);
            double[] x = new double[d];
            for (int j = 0; j < d; j++) {
                x[j] = tau * rng.nextGaussian();
            }
            double[] u = unit(rng, d);
            double s1 = SIGMA.value(r * x[0]);                 // w = r e_1
            double s2 = SIGMA.value(rp * dot(u, x));           // w' = r' u, u uniform
            double vi = -MixtureTask.label(c) * s1;
            double wi = s1 * s2;
            v += vi / n;
            v2 += vi * vi / n;
            w += wi / n;
            w2 += wi * wi / n;
        }
        assertEquals(v, k.potential(r), 4.5 * Math.sqrt((v2 - v * v) / n));
        assertEquals(w, k.interaction(r, rp), 4.5 * Math.sqrt((w2 - w * w) / n));
    }

    @Test
    void seriesIsConvergedAtTheChosenOrder() {
        RadialKernels k = new RadialKernels(TASK, SIGMA);
        RadialKernels twice = new RadialKernels(TASK, SIGMA, 2 * k.maxOrder());
        for (double r : new double[]{0.5, 1.5, 4}) {
            for (double rp : new double[]{0.8, 3}) {
                assertEquals(twice.interaction(r, rp), k.interaction(r, rp), 1e-7);
            }
        }
    }

    @Test
    void psiDerivativeMatchesFiniteDifferencesOfPsiAndBothPathsAgree() {
        RadialKernels k = new RadialKernels(TASK, SIGMA);
        double[] atoms = {0.4, 0.9, 1.6, 2.5, 5.0};
        double[] mass = {0.1, 0.3, 0.2, 0.25, 0.15};
        double[] fast = new double[atoms.length];
        k.psiDerivativeAtAtoms(atoms, mass, fast);
        double[] general = new double[atoms.length];
        k.psiDerivative(atoms, k.featureMeans(atoms, mass), general);
        for (int i = 0; i < atoms.length; i++) {
            double h = 1e-5;
            double fd = (psi(k, atoms[i] + h, atoms, mass) - psi(k, atoms[i] - h, atoms, mass)) / (2 * h);
            assertEquals(fd, general[i], 1e-6 * Math.max(1, Math.abs(fd)));
            assertEquals(general[i], fast[i], 1e-12 * Math.max(1, Math.abs(fd)));
        }
    }

    @Test
    void riskMatchesDoubleLoop() {
        RadialKernels k = new RadialKernels(TASK, SIGMA);
        double[] atoms = {0.3, 1.2, 2.2, 3.1};
        double[] mass = {0.4, 0.1, 0.3, 0.2};
        double direct = 1;
        for (int i = 0; i < atoms.length; i++) {
            direct += 2 * mass[i] * k.potential(atoms[i]);
            for (int j = 0; j < atoms.length; j++) {
                direct += mass[i] * mass[j] * k.interaction(atoms[i], atoms[j]);
            }
        }
        assertEquals(direct, k.risk(atoms, mass), 1e-12);
    }

    @Test
    void initialLawMatchesSampledNorms() {
        InitialRadialLaw law = new InitialRadialLaw(40, 0.8);
        SplittableRandom rng = new SplittableRandom(5);
        int n = 100_000;
        int below = 0;
        double x = law.quantile(0.3);
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < 40; j++) {
                double g = 0.8 / Math.sqrt(40) * rng.nextGaussian();
                s += g * g;
            }
            if (Math.sqrt(s) <= x) {
                below++;
            }
        }
        assertEquals(0.3, below / (double) n, 4 * Math.sqrt(0.21 / n));
        assertEquals(0.3, law.cdf(x), 1e-12);
        assertTrue(law.quantile(0.5) < 0.8 && law.quantile(0.5) > 0.75);
    }

    private static double psi(RadialKernels k, double r, double[] atoms, double[] mass) {
        double s = k.potential(r);
        for (int j = 0; j < atoms.length; j++) {
            s += mass[j] * k.interaction(r, atoms[j]);
        }
        return s;
    }

    static double[] unit(SplittableRandom rng, int d) {
        double[] u = new double[d];
        double n = 0;
        for (int j = 0; j < d; j++) {
            u[j] = rng.nextGaussian();
            n += u[j] * u[j];
        }
        n = Math.sqrt(n);
        for (int j = 0; j < d; j++) {
            u[j] /= n;
        }
        return u;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
