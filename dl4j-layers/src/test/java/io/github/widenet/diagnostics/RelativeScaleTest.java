package io.github.widenet.diagnostics;

import io.github.widenet.layers.WidthScaledLayer;
import io.github.widenet.testing.DoublePrecision;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * κ against a reference computed with plain loops from the closed-form Jacobian and Hessian of a two-layer block
 * h_i = s Σ_j c_j σ(w_j·x_i + b_j), and the τ⁻² law of a symmetrised 2-homogeneous ReLU net.
 */
@ExtendWith(DoublePrecision.class)
class RelativeScaleTest {

    static MultiLayerNetwork block(int nIn, int m, double p, Activation act, long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed)
                .dataType(DataType.DOUBLE).updater(new Sgd(0.1)).list()
                .layer(WidthScaledLayer.builder().nIn(nIn).units(m).nOut(1).scaleExponent(p).biasStd(0.5)
                        .inputWeightStd(1.0).activation(act).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build())
                .build());
        net.init();
        return net;
    }

    @Test
    void matchesClosedFormOnATanhBlock() {
        int d = 3, m = 4, n = 5;
        MultiLayerNetwork net = block(d, m, 0.5, Activation.TANH, 3);
        Nd4j.getRandom().setSeed(4);
        INDArray xa = Nd4j.randn(DataType.DOUBLE, n, d);
        INDArray ya = Nd4j.randn(DataType.DOUBLE, n, 1);
        Layer l = net.getLayer(0);
        double[][] w = l.getParam("W").toDoubleMatrix();
        double[] b = l.getParam("b").toDoubleVector();
        double[] c = l.getParam("C").toDoubleVector();
        double[][] x = xa.toDoubleMatrix();
        double[] y = ya.reshape(-1).toDoubleVector();
        double s = 1 / Math.sqrt(m);
        int p = d * m + 2 * m;
        double[][] jac = new double[n][p];
        double[] r = new double[n];
        double[][] sig = new double[n][m], d1 = new double[n][m], d2 = new double[n][m];
        for (int i = 0; i < n; i++) {
            double h = 0;
            for (int j = 0; j < m; j++) {
                double z = b[j];
                for (int q = 0; q < d; q++) {
                    z += x[i][q] * w[q][j];
                }
                double t = Math.tanh(z);
                sig[i][j] = t;
                d1[i][j] = 1 - t * t;
                d2[i][j] = -2 * t * (1 - t * t);
                h += s * c[j] * t;
                for (int q = 0; q < d; q++) {
                    jac[i][q + d * j] = s * c[j] * d1[i][j] * x[i][q];
                }
                jac[i][d * m + j] = s * c[j] * d1[i][j];
                jac[i][d * m + m + j] = s * t;
            }
            r[i] = h - y[i];
        }
        double rn = 0;
        for (double v : r) {
            rn += v * v;
        }
        rn = Math.sqrt(rn / n);
        double[][] jjt = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                for (int q = 0; q < p; q++) {
                    jjt[i][k] += jac[i][q] * jac[k][q];
                }
            }
        }
        double jn = Math.sqrt(spectralNorm(jjt) / n);
        double[][] hess = new double[p][p];
        for (int j = 0; j < m; j++) {
            // local coordinates of unit j: (w_1j..w_dj, b_j) and c_j
            int[] idx = new int[d + 1];
            for (int q = 0; q < d; q++) {
                idx[q] = q + d * j;
            }
            idx[d] = d * m + j;
            int ci = d * m + m + j;
            for (int i = 0; i < n; i++) {
                double rh = r[i] / rn / n;
                double[] xt = new double[d + 1];
                System.arraycopy(x[i], 0, xt, 0, d);
                xt[d] = 1;
                for (int a = 0; a <= d; a++) {
                    for (int e = 0; e <= d; e++) {
                        hess[idx[a]][idx[e]] += rh * s * c[j] * d2[i][j] * xt[a] * xt[e];
                    }
                    hess[idx[a]][ci] += rh * s * d1[i][j] * xt[a];
                    hess[ci][idx[a]] += rh * s * d1[i][j] * xt[a];
                }
            }
        }
        double hn = spectralNorm(hess);
        RelativeScale.Estimate e = new RelativeScale().maxIterations(2000).tolerance(1e-12).estimate(net, xa, ya);
        assertEquals(rn, e.residualNorm(), 1e-12 * rn);
        assertEquals(jn, e.jacobianNorm(), 1e-7 * jn);
        RelativeScale.Estimate viaKernel = new RelativeScale().maxIterations(2000).tolerance(1e-12)
                .jacobianFromKernel(true).estimate(net, xa, ya);
        assertEquals(jn, viaKernel.jacobianNorm(), 1e-9 * jn);
        assertEquals(hn, e.hessianNorm(), 1e-5 * hn, "Hessian norm after " + e.iterations() + " iterations");
        assertEquals(rn * hn / (jn * jn), e.kappa(), 1e-5 * e.kappa());
    }

    @Test
    void symmetrisedReluNetScalesLikeTauToTheMinusTwo() {
        int d = 4, m = 8, n = 12;
        MultiLayerNetwork net = block(d, m, 0.0, Activation.RELU, 5);
        Layer l = net.getLayer(0);
        INDArray w = l.getParam("W");
        INDArray c = l.getParam("C");
        for (int j = m / 2; j < m; j++) {             // unit j copies unit j − m/2 with the opposite output weight
            w.getColumn(j).assign(w.getColumn(j - m / 2));
            c.getRow(j).assign(c.getRow(j - m / 2).neg());
        }
        l.getParam("b").assign(0);
        Nd4j.getRandom().setSeed(6);
        INDArray x = Nd4j.randn(DataType.DOUBLE, n, d);
        INDArray y = Nd4j.randn(DataType.DOUBLE, n, 1);
        INDArray w0 = net.params().dup();
        RelativeScale.Estimate at1 = new RelativeScale().estimate(net, x, y);
        net.setParams(w0.mul(3));
        RelativeScale.Estimate at3 = new RelativeScale().estimate(net, x, y);
        assertEquals(at1.residualNorm(), at3.residualNorm(), 1e-12, "h(τw0) = 0: the residual does not depend on τ");
        assertEquals(3 * at1.jacobianNorm(), at3.jacobianNorm(), 1e-9 * at3.jacobianNorm());
        assertEquals(at1.hessianNorm(), at3.hessianNorm(), 1e-6 * at1.hessianNorm());
        assertEquals(at1.kappa() / 9, at3.kappa(), 1e-6 * at3.kappa());
    }

    @Test
    void rejectsMismatchedTargets() {
        MultiLayerNetwork net = block(2, 2, 0.5, Activation.TANH, 1);
        assertThrows(IllegalArgumentException.class,
                () -> new RelativeScale().estimate(net, Nd4j.ones(DataType.DOUBLE, 3, 2), Nd4j.ones(DataType.DOUBLE, 4, 1)));
        assertThrows(IllegalArgumentException.class, () -> new RelativeScale().relativeStep(0));
    }

    /** max |eigenvalue| of a symmetric matrix: √ of the top eigenvalue of A², by power iteration in plain Java. */
    static double spectralNorm(double[][] a) {
        int n = a.length;
        double[] v = new double[n];
        java.util.Arrays.fill(v, 1.0);
        v[0] = 2.0;
        double est = 0;
        for (int it = 0; it < 100_000; it++) {
            double[] av = times(a, times(a, v));
            double norm = 0;
            for (double e : av) {
                norm += e * e;
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) {
                v[i] = av[i] / norm;
            }
            if (Math.abs(norm - est) <= 1e-15 * norm) {
                return Math.sqrt(norm);
            }
            est = norm;
        }
        return Math.sqrt(est);
    }

    private static double[] times(double[][] a, double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            for (int k = 0; k < v.length; k++) {
                out[i] += a[i][k] * v[k];
            }
        }
        return out;
    }
}
