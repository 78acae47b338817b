package io.github.widenet.theory.teacher;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Kernel regression against gradient descent iterated with plain loops and the interpolant from Gaussian elimination. */
class KernelRegressionTest {

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    /** K = A Aᵀ + 0.1 I for a random A (symmetric positive definite), and a test-train block B. */
    private static double[][] spd(int n, Random rng) {
        double[][] a = new double[n][n + 2];
        for (double[] row : a) {
            for (int j = 0; j < row.length; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        double[][] k = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int q = 0; q < a[0].length; q++) {
                    k[i][j] += a[i][q] * a[j][q];
                }
            }
            k[i][i] += 0.1;
        }
        return k;
    }

    @Test
    void matchesPlainGradientDescentAndTheInterpolant() {
        Random rng = new Random(3);
        int n = 6, nt = 3;
        double[][] k = spd(n, rng);
        double[][] kt = new double[nt][n];
        for (double[] row : kt) {
            for (int j = 0; j < n; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextGaussian();
        }
        KernelRegression kr = new KernelRegression(Nd4j.createFromArray(k), Nd4j.createFromArray(kt));

        // GD on the coefficients: α ← α − (η/n)(Kα − y), predictions K'α
        double eta = 0.05;
        int steps = 37;
        double[] alpha = new double[n];
        for (int t = 0; t < steps; t++) {
            double[] r = new double[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    r[i] += k[i][j] * alpha[j];
                }
                r[i] -= y[i];
            }
            for (int i = 0; i < n; i++) {
                alpha[i] -= eta / n * r[i];
            }
        }
        double[] gd = kr.predictTest(y, eta, steps);
        double[] gdTrain = kr.predictTrain(y, eta, steps);
        for (int i = 0; i < nt; i++) {
            double expected = 0;
            for (int j = 0; j < n; j++) {
                expected += kt[i][j] * alpha[j];
            }
            assertEquals(expected, gd[i], 1e-10, "kernel GD test prediction " + i);
        }
        for (int i = 0; i < n; i++) {
            double expected = 0;
            for (int j = 0; j < n; j++) {
                expected += k[i][j] * alpha[j];
            }
            assertEquals(expected, gdTrain[i], 1e-10, "kernel GD train prediction " + i);
        }

        double[] interp = kr.predictTrain(y, eta, -1);
        for (int i = 0; i < n; i++) {
            assertEquals(y[i], interp[i], 1e-9, "the interpolant fits the training labels");
        }
        double[] sol = solve(k, y);
        double[] test = kr.predictTest(y, eta, -1);
        for (int i = 0; i < nt; i++) {
            double expected = 0;
            for (int j = 0; j < n; j++) {
                expected += kt[i][j] * sol[j];
            }
            assertEquals(expected, test[i], 1e-9, "interpolant test prediction " + i);
        }
    }

    /** Gaussian elimination with partial pivoting. */
    static double[] solve(double[][] a0, double[] b0) {
        int n = b0.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = a0[i].clone();
        }
        double[] b = b0.clone();
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[p][c])) {
                    p = r;
                }
            }
            double[] t = a[c]; a[c] = a[p]; a[p] = t;
            double tb = b[c]; b[c] = b[p]; b[p] = tb;
            for (int r = c + 1; r < n; r++) {
                double f = a[r][c] / a[c][c];
                for (int q = c; q < n; q++) {
                    a[r][q] -= f * a[c][q];
                }
                b[r] -= f * b[c];
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = b[r];
            for (int q = r + 1; q < n; q++) {
                s -= a[r][q] * x[q];
            }
            x[r] = s / a[r][r];
        }
        return x;
    }
}
