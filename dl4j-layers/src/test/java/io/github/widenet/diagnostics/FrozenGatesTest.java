package io.github.widenet.diagnostics;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The frozen-gates network against a plain-loop computation of conv → ReLU → 2×2 max-pool → dense. */
class FrozenGatesTest {

    private static final int C = 2;
    private static final int S = 4;
    private static final int K = 3;

    private static MultiLayerNetwork net(Activation hidden) {
        return net(hidden, CNN2DFormat.NCHW);
    }

    private static MultiLayerNetwork net(Activation hidden, CNN2DFormat format) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE)
                .updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).convolutionMode(ConvolutionMode.Same).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(C).activation(hidden).dataFormat(format).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .dataFormat(format).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(K).activation(Activation.IDENTITY)
                        .build())
                .setInputType(InputType.convolutional(S, S, 1, format)).build();
        MultiLayerNetwork n = new MultiLayerNetwork(conf);
        n.init();
        return n;
    }

    /** Logits of image {@code b} with the weights of {@code w} and the ReLU masks and pool choices of {@code w0}. */
    private static double[] loop(MultiLayerNetwork w, MultiLayerNetwork w0, INDArray x, int b) {
        return loop(w, w0, x, b, false);
    }

    /** As above; {@code nhwc}: x is [N, S, S, 1] and the dense layer reads the pooled map flattened as (i, j, c). */
    private static double[] loop(MultiLayerNetwork w, MultiLayerNetwork w0, INDArray x, int b, boolean nhwc) {
        if (nhwc) {
            x = x.permute(0, 3, 1, 2);
        }
        double[][][] z = conv(w, x, b);
        double[][][] z0 = conv(w0, x, b);
        double[] flat = new double[C * (S / 2) * (S / 2)];
        for (int c = 0; c < C; c++) {
            for (int i = 0; i < S / 2; i++) {
                for (int j = 0; j < S / 2; j++) {
                    int bi = -1;
                    int bj = -1;
                    double best = Double.NEGATIVE_INFINITY;
                    for (int di = 0; di < 2; di++) {
                        for (int dj = 0; dj < 2; dj++) {
                            double v = Math.max(0, z0[c][2 * i + di][2 * j + dj]);
                            if (v > best) {                            // first maximum in row-major order
                                best = v;
                                bi = 2 * i + di;
                                bj = 2 * j + dj;
                            }
                        }
                    }
                    int f = nhwc ? (i * (S / 2) + j) * C + c : c * (S / 2) * (S / 2) + i * (S / 2) + j;
                    flat[f] = z0[c][bi][bj] > 0 ? z[c][bi][bj] : 0;
                }
            }
        }
        INDArray dw = w.getLayer(2).getParam("W");
        INDArray db = w.getLayer(2).getParam("b");
        double[] out = new double[K];
        for (int k = 0; k < K; k++) {
            out[k] = db.getDouble(k);
            for (int f = 0; f < flat.length; f++) {
                out[k] += flat[f] * dw.getDouble(f, k);
            }
        }
        return out;
    }

    private static double[][][] conv(MultiLayerNetwork n, INDArray x, int b) {
        INDArray cw = n.getLayer(0).getParam("W");
        INDArray cb = n.getLayer(0).getParam("b");
        double[][][] z = new double[C][S][S];
        for (int o = 0; o < C; o++) {
            for (int i = 0; i < S; i++) {
                for (int j = 0; j < S; j++) {
                    double s = cb.getDouble(o);
                    for (int di = 0; di < 3; di++) {
                        for (int dj = 0; dj < 3; dj++) {
                            int ii = i + di - 1;
                            int jj = j + dj - 1;
                            if (ii >= 0 && ii < S && jj >= 0 && jj < S) {
                                s += cw.getDouble(o, 0, di, dj) * x.getDouble(b, 0, ii, jj);
                            }
                        }
                    }
                    z[o][i][j] = s;
                }
            }
        }
        return z;
    }

    @Test
    void equalsThePlainLoopAndTheNetworkAtW0() {
        MultiLayerNetwork n = net(Activation.RELU);
        MultiLayerNetwork n0 = n.clone();
        UnderlyingNetwork u = UnderlyingNetwork.of(n).snapshotInitial();
        INDArray x = Nd4j.rand(DataType.DOUBLE, 5, 1, S, S).subi(0.5);
        INDArray[] at0 = FrozenGates.of(u).logits(x);
        assertArrayEquals(n.output(x).data().asDouble(), at0[0].data().asDouble(), 1e-12, "g(w0) = h(w0)");
        assertArrayEquals(n.output(x).data().asDouble(), at0[1].data().asDouble(), 1e-12);

        n.params().addi(Nd4j.randn(DataType.DOUBLE, n.params().shape()).muli(0.5));
        INDArray[] g = FrozenGates.of(u).logits(x);
        boolean differsFromH = false;
        for (int b = 0; b < 5; b++) {
            assertArrayEquals(loop(n, n0, x, b), g[0].getRow(b).toDoubleVector(), 1e-12, "image " + b);
            differsFromH |= Math.abs(g[0].getDouble(b, 0) - n.output(x).getDouble(b, 0)) > 1e-6;
        }
        assertTrue(differsFromH, "the perturbation must change some gates, or the test shows nothing");
        assertArrayEquals(n0.output(x).data().asDouble(), g[1].data().asDouble(), 1e-12, "h(w0)");
    }

    @Test
    void channelsLastEqualsThePlainLoop() {
        MultiLayerNetwork n = net(Activation.RELU, CNN2DFormat.NHWC);
        MultiLayerNetwork n0 = n.clone();
        UnderlyingNetwork u = UnderlyingNetwork.of(n).snapshotInitial();
        INDArray x = Nd4j.rand(DataType.DOUBLE, 5, S, S, 1).subi(0.5);
        n.params().addi(Nd4j.randn(DataType.DOUBLE, n.params().shape()).muli(0.5));
        INDArray[] g = FrozenGates.of(u).logits(x);
        boolean differsFromH = false;
        for (int b = 0; b < 5; b++) {
            assertArrayEquals(loop(n, n0, x, b, true), g[0].getRow(b).toDoubleVector(), 1e-12, "image " + b);
            differsFromH |= Math.abs(g[0].getDouble(b, 0) - n.output(x).getDouble(b, 0)) > 1e-6;
        }
        assertTrue(differsFromH, "the perturbation must change some gates, or the test shows nothing");
        assertArrayEquals(n0.output(x).data().asDouble(), g[1].data().asDouble(), 1e-12, "h(w0)");
    }

    @Test
    void otherActivationsAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FrozenGates.of(UnderlyingNetwork.of(net(Activation.TANH)).snapshotInitial()));
        assertTrue(e.getMessage().contains("tanh") || e.getMessage().contains("TanH"), e.getMessage());
    }
}
