package io.github.widenet.ntk;

import io.github.widenet.layers.WidthScaledLayer;
import io.github.widenet.linearized.LinearizedLayerRuntime;
import io.github.widenet.linearized.LinearizedWrapper;
import io.github.widenet.testing.DoublePrecision;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Θ = J Jᵀ checked against a Jacobian built by central finite differences of the network's output and multiplied with
 * plain Java loops, against the linearized wrapper's tangent map, and for its memory bound.
 */
@ExtendWith(DoublePrecision.class)
class EmpiricalNtkTest {

    private static NeuralNetConfiguration.ListBuilder base(long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.DOUBLE).updater(new Sgd(0.1)).list();
    }

    private static MultiLayerNetwork init(MultiLayerNetwork net) {
        net.init();
        return net;
    }

    /** 4 → 6 (tanh) → 3 logits. */
    static MultiLayerNetwork dense() {
        return init(new MultiLayerNetwork(base(1)
                .layer(new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(6).nOut(3)
                        .activation(Activation.IDENTITY).build())
                .build()));
    }

    /** conv 3×3 (2 → 3 channels) relu → maxpool 2×2 → dense 4 (tanh) → 2 logits, on 2×6×6 inputs. */
    static MultiLayerNetwork conv() {
        return init(new MultiLayerNetwork(base(2)
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(3).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new DenseLayer.Builder().nOut(4).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY)
                        .build())
                .setInputType(InputType.convolutional(6, 6, 2))
                .build()));
    }

    /** The project's width-scaled block: (1/√6)·tanh(xW + b)·C, 4 → 6 units → 2, with a LossLayer. */
    static MultiLayerNetwork widthScaled() {
        return init(new MultiLayerNetwork(base(3)
                .layer(WidthScaledLayer.builder().nIn(4).units(6).nOut(2).scaleExponent(0.5).biasStd(0.5)
                        .activation(Activation.TANH).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build())
                .build()));
    }

    static INDArray input(long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.DOUBLE, shape);
    }

    /** J by central differences of net.output (the test nets' output is their logits), as plain double arrays. */
    static double[][] finiteDifferenceJacobian(MultiLayerNetwork net, INDArray x, double eps) {
        INDArray w = net.params().dup();
        int p = (int) w.length();
        int n = (int) x.size(0);
        int k = (int) net.output(x).size(1);
        double[][] j = new double[n * k][p];
        for (int q = 0; q < p; q++) {
            INDArray wp = w.dup();
            wp.putScalar(q, w.getDouble(q) + eps);
            net.setParams(wp);
            double[][] plus = net.output(x).toDoubleMatrix();
            wp.putScalar(q, w.getDouble(q) - eps);
            net.setParams(wp);
            double[][] minus = net.output(x).toDoubleMatrix();
            for (int i = 0; i < n; i++) {
                for (int l = 0; l < k; l++) {
                    j[i * k + l][q] = (plus[i][l] - minus[i][l]) / (2 * eps);
                }
            }
        }
        net.setParams(w);
        return j;
    }

    static double[][] gramOf(double[][] ja, double[][] jb) {
        double[][] g = new double[ja.length][jb.length];
        for (int a = 0; a < ja.length; a++) {
            for (int b = 0; b < jb.length; b++) {
                double s = 0;
                for (int q = 0; q < ja[a].length; q++) {
                    s += ja[a][q] * jb[b][q];
                }
                g[a][b] = s;
            }
        }
        return g;
    }

    static double[][] trace(double[][] full, int k) {
        double[][] t = new double[full.length / k][full[0].length / k];
        for (int i = 0; i < t.length; i++) {
            for (int j = 0; j < t[0].length; j++) {
                for (int l = 0; l < k; l++) {
                    t[i][j] += full[i * k + l][j * k + l];
                }
            }
        }
        return t;
    }

    static void assertClose(double[][] expected, INDArray actual, double relTol, String what) {
        double[][] a = actual.toDoubleMatrix();
        assertEquals(expected.length, a.length, what + ": rows");
        double scale = 0;
        double err = 0;
        for (int i = 0; i < a.length; i++) {
            assertEquals(expected[i].length, a[i].length, what + ": columns");
            for (int j = 0; j < a[i].length; j++) {
                scale = Math.max(scale, Math.abs(expected[i][j]));
                err = Math.max(err, Math.abs(expected[i][j] - a[i][j]));
            }
        }
        assertTrue(scale > 1e-3, what + ": degenerate reference");
        assertTrue(err <= relTol * scale, what + ": max error " + err + " vs scale " + scale);
    }

    private void checkAgainstFiniteDifferences(MultiLayerNetwork net, INDArray x, INDArray x2, String name) {
        double[][] j = finiteDifferenceJacobian(net, x, 1e-6);
        double[][] j2 = finiteDifferenceJacobian(net, x2, 1e-6);
        int k = (int) net.output(x).size(1);
        EmpiricalNtk ntk = EmpiricalNtk.of(net, 3);
        assertClose(gramOf(j, j), ntk.gram(x, EmpiricalNtk.Output.FULL), 1e-7, name + " FULL gram");
        assertClose(trace(gramOf(j, j), k), ntk.gram(x, EmpiricalNtk.Output.TRACE), 1e-7, name + " TRACE gram");
        assertClose(gramOf(j, j2), ntk.cross(x, x2, EmpiricalNtk.Output.FULL), 1e-7, name + " FULL cross");
        assertClose(trace(gramOf(j, j2), k), ntk.cross(x, x2, EmpiricalNtk.Output.TRACE), 1e-7, name + " TRACE cross");
    }

    @Test
    void denseMatchesFiniteDifferences() {
        checkAgainstFiniteDifferences(dense(), input(5, 7, 4), input(6, 4, 4), "dense");
    }

    @Test
    void convolutionalMatchesFiniteDifferences() {
        checkAgainstFiniteDifferences(conv(), input(7, 5, 2, 6, 6), input(8, 4, 2, 6, 6), "conv");
    }

    @Test
    void widthScaledBlockMatchesFiniteDifferences() {
        checkAgainstFiniteDifferences(widthScaled(), input(9, 7, 4), input(10, 2, 4), "width-scaled");
    }

    @Test
    void excludedParametersDropOutOfTheSum() {
        MultiLayerNetwork net = widthScaled();                       // layout: W (4·6), b (6), C (6·2)
        INDArray x = input(15, 5, 4);
        double[][] j = finiteDifferenceJacobian(net, x, 1e-6);
        for (double[] row : j) {
            java.util.Arrays.fill(row, 24, 30, 0.0);
        }
        INDArray theta = EmpiricalNtk.of(net, 2).excluding(java.util.List.of("0_b")).gram(x, EmpiricalNtk.Output.FULL);
        assertClose(gramOf(j, j), theta, 1e-7, "kernel without the biases");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EmpiricalNtk.of(net, 2).excluding(java.util.List.of("0_bias")));
        assertTrue(e.getMessage().contains("0_bias") && e.getMessage().contains("0_W"), e.getMessage());
    }

    @Test
    void agreesWithTheLinearizedWrappersTangentMap() {
        MultiLayerNetwork net = conv();
        INDArray x = input(11, 6, 2, 6, 6);
        EmpiricalNtk ntk = EmpiricalNtk.of(net, 4);
        INDArray jac = ntk.jacobian(x);                                      // (n·K) × P
        LinearizedLayerRuntime lin = LinearizedWrapper.linearizedLayer(LinearizedWrapper.wrap(net));
        INDArray w0 = lin.initial().dup();

        // J·v from the tangent rules equals the Jacobian's rows times v
        INDArray v = input(12, w0.length());
        lin.trainable().assign(w0.add(v));
        INDArray jv = lin.tangent(x).reshape(-1);                          // row-major [n, K] → index i·K + k
        INDArray expectedJv = jac.mmul(v.reshape(-1, 1)).reshape(-1);
        assertTrue(jv.sub(expectedJv).amaxNumber().doubleValue() <= 1e-10 * expectedJv.amaxNumber().doubleValue(),
                "J·v: tangent rules vs Jacobian rows");

        // Θ·u = J (Jᵀ u): the kernel applied to u equals the tangent map applied to Jᵀu
        INDArray u = input(13, jac.size(0));
        INDArray jtu = jac.transpose().mmul(u.reshape(-1, 1)).reshape(-1);
        lin.trainable().assign(w0.add(jtu));
        INDArray viaTangent = lin.tangent(x).reshape(-1);
        INDArray viaKernel = ntk.gram(x, EmpiricalNtk.Output.FULL).mmul(u.reshape(-1, 1)).reshape(-1);
        assertTrue(viaTangent.sub(viaKernel).amaxNumber().doubleValue()
                        <= 1e-10 * viaKernel.amaxNumber().doubleValue(), "Θ·u vs J(Jᵀu)");
    }

    @Test
    void holdsAtMostTwoJacobianBlocks() {
        MultiLayerNetwork net = conv();
        INDArray x = input(14, 10, 2, 6, 6);
        int b = 2;
        EmpiricalNtk small = EmpiricalNtk.of(net, b);
        INDArray blocked = small.gram(x, EmpiricalNtk.Output.FULL);
        long p = small.numParams();
        long k = small.numOutputs();
        assertEquals(2L * b * k * p, small.peakJacobianEntries(), "peak = 2·B·K·P");
        assertTrue(small.peakJacobianEntries() < 10 * k * p / 2, "well below the whole Jacobian n·K·P");
        // n·K·(b+1)/2 backward passes with b = 5 blocks
        assertEquals(10 * k * (5 + 1) / 2, small.backwardPasses());
        assertEquals(10 * k * (5 + 1) / 2, small.forwardPasses(), "one forward pass per backward pass");
        INDArray whole = EmpiricalNtk.of(net, 10).gram(x, EmpiricalNtk.Output.FULL);
        assertTrue(blocked.sub(whole).amaxNumber().doubleValue() <= 1e-12 * whole.amaxNumber().doubleValue(),
                "blocking must not change the result");
        assertTrue(blocked.sub(blocked.transpose()).amaxNumber().doubleValue() == 0.0, "Θ is exactly symmetric");
    }

    @Test
    void blockSizeFromBudget() {
        assertEquals(5, EmpiricalNtk.blockSizeFor(2L * 5 * 10 * 1000 * 8, 10, 1000, DataType.DOUBLE));
        assertEquals(1, EmpiricalNtk.blockSizeFor(1, 10, 1000, DataType.FLOAT));
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> EmpiricalNtk.of(dense(), 0));
        MultiLayerNetwork bn = init(new MultiLayerNetwork(base(4)
                .layer(new DenseLayer.Builder().nIn(3).nOut(4).build())
                .layer(new BatchNormalization.Builder().nOut(4).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(1)
                        .activation(Activation.IDENTITY).build())
                .build()));
        RuntimeException e = assertThrows(RuntimeException.class, () -> EmpiricalNtk.of(bn, 2));
        assertTrue(e.getMessage().contains("BatchNormalization"), e.getMessage());
    }

}
