package io.github.widenet.theory.teacher;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;
import java.util.function.LongConsumer;

/**
 * Full-batch gradient descent of a bias-free two-layer ReLU network as the reference code trains it in
 * {@code test_vs_m.jl} (its {@code GDfor2NN}), in double precision: {@link #lossAndGradient} in plain loops (the reference
 * for the tests), {@link #run} with its two products per iteration in BLAS. The network has m units, rows (w_i, c_i) of an
 * m × (d + 1) matrix, and output h(x) = α Σ_i c_i max(w_i·x, 0) with scaling α (1/√m or 1/m); the loss is
 * L = (1/2n) Σ_j (h(x_j) − y_j)². The reference writes its step as W ← W − (s/α)·G with G = ∇L/α ("F(w) = MSE(α f(w))/α²"),
 * i.e. plain gradient descent on L with learning rate η = s/α². With s = c/m this is η = c for α = 1/√m and η = c·m
 * for α = 1/m (the reference: c = 1 and c = 0.05).
 * <p>Like the reference, iteration t records the losses at the parameters before its update, so the losses of the last
 * of T iterations are those after T − 1 updates (the reference plots {@code loss_test[end]}).
 * <p>Convergence criterion (ours; the reference runs a fixed budget): at iteration t ≥ k + 1 the run counts as
 * converged when the training loss fell by at most a fraction {@code tol} over the last k iterations,
 * L(t − k) − L(t) ≤ tol·L(t), or when it is below {@code floor} times the loss of the zero function (fitted).
 */
public final class ReferenceGd {

    /** The stated convergence criterion. */
    public record Criterion(int window, double tolerance, double fitFloor) {
        public Criterion {
            if (window < 1 || !(tolerance >= 0) || !(fitFloor >= 0)) {
                throw new IllegalArgumentException("criterion needs window >= 1, tolerance >= 0, floor >= 0");
            }
        }

        /** Whether the criterion holds at iteration t (1-based) of the train-loss history {@code loss[1..t]}. */
        boolean holds(double[] loss, int t, double zeroLoss) {
            if (loss[t] <= fitFloor * zeroLoss) {
                return true;
            }
            return t > window && loss[t - window] - loss[t] <= tolerance * loss[t];
        }
    }

    /**
     * One run's outcome: losses at the last iteration, the iteration at which the criterion first held (−1 if never),
     * whether it holds at the last iteration, the relative falls of the train and test losses over the last window, and
     * the smallest test loss evaluated (every {@code evalEvery} iterations and at the last; NaN if none was finite).
     */
    public record Outcome(int iterations, double trainLoss, double testLoss, double zeroTrainLoss, int convergedAt,
                          boolean convergedAtEnd, double trainFall, double testFall, boolean diverged, double seconds,
                          double bestTestLoss) {
    }

    private final int n;
    private final int nTest;
    private final int d;
    private final double[] xt;       // d × n, transposed training inputs (forward: axpy over the points)
    private final double[] x;        // n × d, training inputs (backward: axpy over the coordinates)
    private final double[] xtTest;   // d × nTest
    private final double[] y;
    private final double[] yTest;
    private final INDArray xNd;      // n × d, for the BLAS iteration
    private final INDArray xTestNd;  // nTest × d

    public ReferenceGd(double[][] trainX, double[] trainY, double[][] testX, double[] testY) {
        this.n = trainX.length;
        this.nTest = testX.length;
        this.d = trainX[0].length;
        this.x = new double[n * d];
        for (int j = 0; j < n; j++) {
            System.arraycopy(trainX[j], 0, x, j * d, d);
        }
        this.xt = transpose(trainX);
        this.xtTest = transpose(testX);
        this.y = trainY.clone();
        this.yTest = testY.clone();
        this.xNd = Nd4j.create(DataType.DOUBLE, new long[]{n, d}, 'f').assign(Nd4j.createFromArray(trainX));
        this.xTestNd = Nd4j.create(DataType.DOUBLE, new long[]{nTest, d}, 'f').assign(Nd4j.createFromArray(testX));
    }

    private static double[] transpose(double[][] a) {
        int rows = a.length;
        int cols = a[0].length;
        double[] t = new double[rows * cols];
        for (int j = 0; j < rows; j++) {
            for (int q = 0; q < cols; q++) {
                t[q * rows + j] = a[j][q];
            }
        }
        return t;
    }

    /** The reference's initialisation {@code randn(m, d+1)}: every w_iq and c_i drawn N(0, 1), no symmetrisation. */
    public static double[][] gaussianInit(int m, int d, Random rng) {
        double[][] w = new double[m][d + 1];
        for (double[] row : w) {
            for (int q = 0; q <= d; q++) {
                row[q] = rng.nextGaussian();
            }
        }
        return w;
    }

    /** The learning rate η on L of the reference step s = c/m: c for α = 1/√m, c·m for α = 1/m. */
    public static double learningRate(double scaling, int m, double constant) {
        return (constant / m) / (scaling * scaling);
    }

    /** Half mean squared error of h on the test set. */
    public double testLoss(double[][] w, double scaling) {
        return forward(w, scaling, xtTest, nTest, yTest, null, null);
    }

    /** L on the training set; {@code grad} (m × (d+1)) receives ∇L when not null. */
    public double lossAndGradient(double[][] w, double scaling, double[][] grad) {
        int m = w.length;
        double[] z = new double[m * n];
        double[] out = new double[n];
        double loss = forward(w, scaling, xt, n, y, z, out);
        if (grad != null) {
            double[] r = new double[n];
            for (int j = 0; j < n; j++) {
                r[j] = (out[j] - y[j]) / n;
            }
            for (int i = 0; i < m; i++) {
                unitGradient(w[i], scaling, z, i, r, grad[i]);
            }
        }
        return loss;
    }

    /**
     * Forward pass: the loss, and if {@code z} is given the pre-activations (m × points) and in {@code out} the outputs.
     */
    private double forward(double[][] w, double scaling, double[] inputsT, int points, double[] labels, double[] z,
                           double[] out) {
        int m = w.length;
        double[] h = out == null ? new double[points] : out;
        java.util.Arrays.fill(h, 0);
        double[] zi = new double[points];
        for (int i = 0; i < m; i++) {
            double[] wi = w[i];
            java.util.Arrays.fill(zi, 0);
            for (int q = 0; q < d; q++) {
                double a = wi[q];
                int off = q * points;
                for (int j = 0; j < points; j++) {
                    zi[j] += a * inputsT[off + j];
                }
            }
            double c = wi[d];
            for (int j = 0; j < points; j++) {
                double v = zi[j];
                h[j] += v > 0 ? c * v : 0;
            }
            if (z != null) {
                System.arraycopy(zi, 0, z, i * points, points);
            }
        }
        return scaledHalfMse(h, scaling, labels, points);
    }

    /** Scales the sums {@code h[0..points)} by α in place and returns (1/2n) Σ_j (h_j − y_j)². */
    private static double scaledHalfMse(double[] h, double scaling, double[] labels, int points) {
        double s = 0;
        for (int j = 0; j < points; j++) {
            h[j] *= scaling;
            double e = h[j] - labels[j];
            s += e * e;
        }
        return s / (2.0 * points);
    }

    /** ∇L for unit i from its pre-activations and the residuals r_j = (h_j − y_j)/n. */
    private void unitGradient(double[] wi, double scaling, double[] z, int i, double[] r, double[] gi) {
        java.util.Arrays.fill(gi, 0);
        double c = wi[d];
        double gc = 0;
        int off = i * n;
        for (int j = 0; j < n; j++) {
            double v = z[off + j];
            if (v > 0) {
                double rj = r[j];
                gc += v * rj;
                double f = scaling * c * rj;
                int xo = j * d;
                for (int q = 0; q < d; q++) {
                    gi[q] += f * x[xo + q];
                }
            }
        }
        gi[d] = scaling * gc;
    }

    /**
     * Runs T iterations from {@code w} (modified in place) with learning rate η on L, the test loss every
     * {@code evalEvery} iterations and at the last; with {@code stopAtConvergence} it ends at the first iteration at
     * which the criterion holds. {@code progress} receives the iteration number; {@code stop} is polled every 100
     * iterations and may throw to abandon the run. The products run in BLAS ({@link GemmIteration}); the plain loops of
     * {@link #lossAndGradient} are the reference it is tested against.
     */
    public Outcome run(double[][] w, double scaling, double eta, int iterations, int evalEvery, Criterion criterion,
                       boolean stopAtConvergence, LongConsumer progress, Runnable stop) {
        long start = System.nanoTime();
        double[] loss = new double[iterations + 1];
        double[] testAt = new double[iterations / evalEvery + 2];
        java.util.Arrays.fill(testAt, Double.NaN);
        double zero = 0;
        for (double v : y) {
            zero += v * v;
        }
        zero /= 2.0 * n;
        GemmIteration gd = new GemmIteration(w, scaling);
        int convergedAt = -1;
        int t = 1;
        double test = Double.NaN;
        double best = Double.NaN;
        boolean diverged = false;
        for (; t <= iterations; t++) {
            loss[t] = gd.trainLoss();
            if (!Double.isFinite(loss[t])) {
                diverged = true;
                break;
            }
            boolean converged = criterion.holds(loss, t, zero);
            if (converged && convergedAt < 0) {
                convergedAt = t;
            }
            boolean last = t == iterations || (stopAtConvergence && converged);
            if (t % evalEvery == 0 || last) {
                test = gd.testLoss();
                if (Double.isFinite(test) && !(test >= best)) {
                    best = test;
                }
                if (t % evalEvery == 0) {
                    testAt[t / evalEvery] = test;
                }
            }
            if (last) {
                break;
            }
            gd.step(eta);
            if (progress != null) {
                progress.accept(t);
            }
            if (stop != null && t % 100 == 0) {
                stop.run();
            }
        }
        gd.copyTo(w);
        int end = Math.min(t, iterations);
        double trainFall = Double.NaN;
        double testFall = Double.NaN;
        if (!diverged && end > criterion.window()) {
            trainFall = (loss[end - criterion.window()] - loss[end]) / loss[end];
            int before = (end - criterion.window()) / evalEvery;
            if (before >= 1 && !Double.isNaN(testAt[before])) {
                testFall = (testAt[before] - test) / test;
            }
        }
        boolean atEnd = !diverged && criterion.holds(loss, end, zero);
        return new Outcome(end, diverged ? Double.NaN : loss[end], diverged ? Double.NaN : test, zero,
                convergedAt, atEnd, trainFall, testFall, diverged, (System.nanoTime() - start) / 1e9, best);
    }

    /**
     * One run's state with the products in BLAS (double, column-major as {@link Nd4j#gemm} requires of its result):
     * Zᵀ = X·Wᵀ (n × m, unit i's pre-activations contiguous), h_j = α Σ_i c_i max(z_ij, 0), and the step
     * Wᵀ ← Wᵀ − η·Xᵀ·M with M_ji = α c_i r_j 1[z_ij > 0], r = (h − y)/n, and c_i ← c_i − η·α Σ_j max(z_ij, 0) r_j.
     */
    private final class GemmIteration {
        private final int m;
        private final double scaling;
        private final INDArray wt;          // d × m
        private final double[] c;
        private final INDArray z;           // n × m, for the current W after trainLoss()
        private final INDArray zTest;       // nTest × m
        private final INDArray mask;        // n × m, M of the step
        private final double[] h;          // training outputs, kept for the step
        private final double[] hTest;
        private final double[] r;          // residuals (h − y)/n of the step
        private final double[] column;

        GemmIteration(double[][] w, double scaling) {
            this.m = w.length;
            this.scaling = scaling;
            this.wt = Nd4j.create(DataType.DOUBLE, new long[]{d, m}, 'f');
            this.c = new double[m];
            java.nio.DoubleBuffer wb = buffer(wt);
            for (int i = 0; i < m; i++) {
                wb.put(i * d, w[i], 0, d);
                c[i] = w[i][d];
            }
            this.z = Nd4j.create(DataType.DOUBLE, new long[]{n, m}, 'f');
            this.zTest = Nd4j.create(DataType.DOUBLE, new long[]{nTest, m}, 'f');
            this.mask = Nd4j.create(DataType.DOUBLE, new long[]{n, m}, 'f');
            this.h = new double[n];
            this.hTest = new double[nTest];
            this.r = new double[n];
            this.column = new double[Math.max(n, nTest)];
        }

        /** L at the current weights; leaves Zᵀ and h for {@link #step}. */
        double trainLoss() {
            Nd4j.gemm(xNd, wt, z, false, false, 1.0, 0.0);
            return loss(z, n, y, h);
        }

        double testLoss() {
            Nd4j.gemm(xTestNd, wt, zTest, false, false, 1.0, 0.0);
            return loss(zTest, nTest, yTest, hTest);
        }

        /** L of the pre-activations {@code pre} (points × m) against {@code labels}, the outputs left in {@code h}. */
        private double loss(INDArray pre, int points, double[] labels, double[] h) {
            java.nio.DoubleBuffer zb = buffer(pre);
            java.util.Arrays.fill(h, 0, points, 0);
            for (int i = 0; i < m; i++) {
                zb.get(i * points, column, 0, points);
                double ci = c[i];
                for (int j = 0; j < points; j++) {
                    double v = column[j];
                    h[j] += v > 0 ? ci * v : 0;
                }
            }
            return scaledHalfMse(h, scaling, labels, points);
        }

        /** One GD step from the Zᵀ and h of the last {@link #trainLoss}. */
        void step(double eta) {
            java.nio.DoubleBuffer zb = buffer(z);
            java.nio.DoubleBuffer mb = buffer(mask);
            for (int j = 0; j < n; j++) {
                r[j] = (h[j] - y[j]) / n;
            }
            for (int i = 0; i < m; i++) {
                zb.get(i * n, column, 0, n);
                double f = scaling * c[i];
                double gc = 0;
                for (int j = 0; j < n; j++) {
                    double v = column[j];
                    boolean on = v > 0;
                    gc += on ? v * r[j] : 0;
                    column[j] = on ? f * r[j] : 0;
                }
                mb.put(i * n, column, 0, n);
                c[i] -= eta * scaling * gc;
            }
            Nd4j.gemm(xNd, mask, wt, true, false, -eta, 1.0);
        }

        void copyTo(double[][] w) {
            java.nio.DoubleBuffer wb = buffer(wt);
            for (int i = 0; i < m; i++) {
                wb.get(i * d, w[i], 0, d);
                w[i][d] = c[i];
            }
        }
    }

    /** A view (not a copy) of a dense double array's memory, in its storage order. */
    private static java.nio.DoubleBuffer buffer(INDArray a) {
        return a.data().asNioDouble();
    }
}
