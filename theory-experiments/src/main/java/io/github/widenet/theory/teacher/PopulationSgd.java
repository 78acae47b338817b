package io.github.widenet.theory.teacher;

import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;

/**
 * Online SGD of a two-layer ReLU student on fresh samples, as the reference code's {@code populationSGDfor2NN}
 * ({@code populationSGD.jl}), in plain double loops. Student h(x) = (1/m) Σ_i w_i max(θ_i·x, 0), m units, no bias;
 * teacher target y(x) = κ Σ_k s_k max(θ0_k·x, 0) (the reference's κ is 1/batch size: it divides the teacher's output by
 * the batch size). Each iteration draws B points uniform on the sphere, records the mini-batch loss
 * v = (1/2B)Σ_j (h(x_j) − y_j)² at the current parameters, and steps with r_j = (h_j − y_j)/B:
 * w_i ← w_i − s Σ_j r_j max(θ_i·x_j, 0) and θ_i ← θ_i − s·d·w_i Σ_j r_j 1[θ_i·x_j > 0] x_j, i.e. learning rates s·m on
 * v for w and s·d·m for θ. Initialisation at scale τ: θ = τ·N(0, I), w = τ·N(0, 1), then the reference's
 * symmetrisation: w_i = |w_i| and w_(i+m/2) = −|w_i|, θ_(i+m/2) = θ_i for i < m/2 (so h = 0 at the start).
 */
public final class PopulationSgd {

    private final double[][] teacherDirections;
    private final double[] teacherSigns;
    private final double teacherFactor;
    private final int d;

    public PopulationSgd(Teacher teacher, double teacherFactor) {
        this.teacherDirections = teacher.directions();
        this.teacherSigns = teacher.signs();
        this.teacherFactor = teacherFactor;
        this.d = teacher.dimension();
    }

    /** The reference's initialisation at scale τ: rows (θ_i, w_i) of an m × (d + 1) matrix, symmetrised. */
    public static double[][] init(int m, int d, double tau, Random rng) {
        double[][] u = new double[m][d + 1];
        for (double[] row : u) {
            for (int q = 0; q < d; q++) {
                row[q] = tau * rng.nextGaussian();
            }
        }
        for (double[] row : u) {
            row[d] = tau * rng.nextGaussian();
        }
        int half = m / 2;
        for (int i = 0; i < half; i++) {
            u[i][d] = Math.abs(u[i][d]);
            u[i + half][d] = -u[i][d];
            System.arraycopy(u[i], 0, u[i + half], 0, d);
        }
        return u;
    }

    /** A batch of B points uniform on the sphere, rows. */
    double[] batch(int b, SplittableRandom rng) {
        double[] x = new double[b * d];
        for (int j = 0; j < b; j++) {
            double norm = 0;
            for (int q = 0; q < d; q++) {
                double g = rng.nextGaussian();
                x[j * d + q] = g;
                norm += g * g;
            }
            norm = Math.sqrt(norm);
            for (int q = 0; q < d; q++) {
                x[j * d + q] /= norm;
            }
        }
        return x;
    }

    /** Teacher targets of the rows of x. */
    double[] targets(double[] x, int b) {
        double[] y = new double[b];
        for (int j = 0; j < b; j++) {
            double s = 0;
            for (int k = 0; k < teacherSigns.length; k++) {
                double z = 0;
                double[] th = teacherDirections[k];
                for (int q = 0; q < d; q++) {
                    z += th[q] * x[j * d + q];
                }
                s += teacherSigns[k] * Math.max(z, 0);
            }
            y[j] = teacherFactor * s;
        }
        return y;
    }

    /**
     * The mini-batch loss v at {@code u} on points x (rows) with targets y; when {@code grad} is not null it receives
     * the reference's update directions (before the steps s and s·d): Σ_j r_j max(θ_i·x_j, 0) for w_i and
     * w_i Σ_j r_j 1[θ_i·x_j > 0] x_j for θ_i, which are m times the gradients of v.
     */
    double lossAndDirections(double[][] u, double[] x, double[] y, int b, double[][] grad) {
        int m = u.length;
        double[] z = new double[m * b];
        double[] h = new double[b];
        for (int i = 0; i < m; i++) {
            double[] ui = u[i];
            for (int j = 0; j < b; j++) {
                double s = 0;
                int xo = j * d;
                for (int q = 0; q < d; q++) {
                    s += ui[q] * x[xo + q];
                }
                z[i * b + j] = s;
                if (s > 0) {
                    h[j] += ui[d] * s;
                }
            }
        }
        double loss = 0;
        double[] r = new double[b];
        for (int j = 0; j < b; j++) {
            h[j] /= m;
            double e = h[j] - y[j];
            loss += e * e;
            r[j] = e / b;
        }
        loss /= 2.0 * b;
        if (grad != null) {
            for (int i = 0; i < m; i++) {
                double[] gi = grad[i];
                java.util.Arrays.fill(gi, 0);
                double gw = 0;
                double wi = u[i][d];
                for (int j = 0; j < b; j++) {
                    double v = z[i * b + j];
                    if (v > 0) {
                        gw += r[j] * v;
                        double f = wi * r[j];
                        int xo = j * d;
                        for (int q = 0; q < d; q++) {
                            gi[q] += f * x[xo + q];
                        }
                    }
                }
                gi[d] = gw;
            }
        }
        return loss;
    }

    /**
     * T iterations from {@code u} (modified in place) with step s and batch B; returns the mini-batch loss of every
     * iteration (index 0 … T−1). {@code stop} is polled every 500 iterations.
     */
    public double[] run(double[][] u, double step, int b, int iterations, SplittableRandom rng, LongConsumer progress,
                        Runnable stop) {
        int m = u.length;
        double[][] g = new double[m][d + 1];
        double[] val = new double[iterations];
        for (int t = 0; t < iterations; t++) {
            double[] x = batch(b, rng);
            double[] y = targets(x, b);
            val[t] = lossAndDirections(u, x, y, b, g);
            if (!Double.isFinite(val[t])) {
                java.util.Arrays.fill(val, t, iterations, Double.NaN);
                break;
            }
            for (int i = 0; i < m; i++) {
                double[] ui = u[i];
                double[] gi = g[i];
                for (int q = 0; q < d; q++) {
                    ui[q] -= step * d * gi[q];
                }
                ui[d] -= step * gi[d];
            }
            if (progress != null && (t + 1) % 500 == 0) {
                progress.accept(t + 1);
            }
            if (stop != null && (t + 1) % 500 == 0) {
                stop.run();
            }
        }
        return val;
    }
}
