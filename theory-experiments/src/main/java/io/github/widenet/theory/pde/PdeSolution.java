package io.github.widenet.theory.pde;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The reduced PDE's solution on a time grid, as sorted particle positions (its quantile function at (j − ½)/n) and its
 * risk R(ρ_t); computed with the {@link ParticleSolver} from the midpoint quantiles of the initial law.
 */
public record PdeSolution(double[] times, double[][] sortedPositions, double[] risk, double seconds) {

    /** Solves up to the last of {@code times} with n particles and RK4 step dt, recording at every time. */
    public static PdeSolution solve(RadialKernels kernels, InitialRadialLaw law, int particles, double dt,
                                    double[] times) {
        long start = System.nanoTime();
        ParticleSolver solver = new ParticleSolver(new MeanFieldDrift(kernels), law.midpointQuantiles(particles));
        double[][] positions = new double[times.length][];
        double[] risk = new double[times.length];
        for (int i = 0; i < times.length; i++) {
            solver.advanceTo(times[i], dt);
            double[] r = solver.positions();
            Arrays.sort(r);
            positions[i] = r;
            risk[i] = kernels.risk(r, solver.masses());
        }
        return new PdeSolution(times.clone(), positions, risk, (System.nanoTime() - start) / 1e9);
    }

    public int particles() {
        return sortedPositions[0].length;
    }

    /**
     * n i.i.d. draws from ρ_{t_i}: inverse-CDF sampling of the particle quantile function, interpolated linearly
     * between the particles' levels (j − ½)/n.
     */
    public double[] sample(int timeIndex, int n, SplittableRandom rng) {
        double[] q = sortedPositions[timeIndex];
        double[] out = new double[n];
        int m = q.length;
        for (int i = 0; i < n; i++) {
            double u = rng.nextDouble() * m - 0.5;
            if (u <= 0) {
                out[i] = q[0];
            } else if (u >= m - 1) {
                out[i] = q[m - 1];
            } else {
                int j = (int) u;
                double f = u - j;
                out[i] = q[j] + f * (q[j + 1] - q[j]);
            }
        }
        return out;
    }
}
