package io.github.widenet.layers;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The runtime layers compute exactly their documented formulas (checked against plain-Java loops). */
class ForwardMatchesFormulaTest {

    private static DoubleUnaryOperator sigma(Activation a) {
        switch (a) {
            case RELU: return Reference::relu;
            case TANH: return Math::tanh;
            case SIGMOID: return Reference::sigmoid;
            case IDENTITY: return z -> z;
            default: throw new IllegalArgumentException(a.toString());
        }
    }

    @ParameterizedTest
    @CsvSource({"1.0, RELU", "0.5, RELU", "1.0, TANH", "0.5, SIGMOID", "0.75, IDENTITY"})
    void widthScaledBlockComputesTheFormula(double p, Activation act) {
        int d = 7, m = 33, k = 4, n = 5;
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(11).dataType(DataType.DOUBLE).list()
                .layer(WidthScaledLayer.builder().nIn(d).units(m).nOut(k).scaleExponent(p).biasStd(0.3)
                        .activation(act).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray x = Nd4j.rand(DataType.DOUBLE, n, d).subi(0.5);

        double[][] expected = Reference.widthScaled(Reference.toArray(x),
                Reference.toArray(net.getParam("0_W")), net.getParam("0_b").toDoubleVector(),
                Reference.toArray(net.getParam("0_C")), Math.pow(m, -p), sigma(act));
        double[][] actual = Reference.toArray(net.output(x));
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                assertEquals(expected[i][j], actual[i][j], 1e-12, "output[" + i + "][" + j + "]");
            }
        }
        // the training-mode forward (which caches the hidden layer) gives the same numbers
        INDArray train = net.feedForward(x, true).get(1);
        assertEquals(0.0, train.sub(net.output(x)).amaxNumber().doubleValue(), 1e-12);
    }

    @Test
    void meanFieldAndNtkFixTheirExponents() {
        MeanFieldLayer mf = MeanFieldLayer.builder().nIn(3).units(400).nOut(2).build();
        NtkLayer ntk = NtkLayer.builder().nIn(3).units(400).nOut(2).build();
        assertEquals(1.0 / 400, mf.outputScale(), 1e-15);
        assertEquals(1.0 / 20, ntk.outputScale(), 1e-15);
    }

    @ParameterizedTest
    @CsvSource({"1.0, 0.1, TANH", "1.4142135623730951, 0.5, RELU", "2.0, 0.0, IDENTITY"})
    void ntkDenseComputesTheFormula(double sigmaW, double sigmaB, Activation act) {
        int d = 6, k = 5, n = 4;
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .dataType(DataType.DOUBLE).list()
                .layer(new NtkDenseLayer.Builder().nIn(d).nOut(k).sigmaW(sigmaW).sigmaB(sigmaB).activation(act).build())
                .build());
        net.init();
        INDArray x = Nd4j.randn(DataType.DOUBLE, n, d);
        double[][] expected = Reference.ntkDense(Reference.toArray(x), Reference.toArray(net.getParam("0_W")),
                net.getParam("0_b").toDoubleVector(), sigmaW, sigmaB, sigma(act));
        double[][] actual = Reference.toArray(net.output(x));
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                assertEquals(expected[i][j], actual[i][j], 1e-12);
            }
        }
    }

    @Test
    void ntkConvolutionComputesTheFormula() {
        int n = 2, ch = 3, h = 6, w = 5, out = 4, kh = 3, kw = 2;
        double sigmaW = 1.3, sigmaB = 0.2;
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5)
                .dataType(DataType.DOUBLE).list()
                .layer(new NtkConvolutionLayer.Builder(kh, kw).sigmaW(sigmaW).sigmaB(sigmaB).nOut(out)
                        .activation(Activation.TANH).build())
                .setInputType(InputType.convolutional(h, w, ch))
                .build());
        net.init();
        INDArray x = Nd4j.randn(DataType.DOUBLE, n, ch, h, w);
        INDArray weights = net.getParam("0_W");
        double[][][][] expected = Reference.ntkConv(to4d(x), to4d(weights), net.getParam("0_b").toDoubleVector(),
                sigmaW, sigmaB, Math::tanh);
        INDArray actual = net.output(x);
        assertEquals(4, actual.rank());
        for (int r = 0; r < n; r++) {
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < h - kh + 1; i++) {
                    for (int j = 0; j < w - kw + 1; j++) {
                        assertEquals(expected[r][o][i][j], actual.getDouble(r, o, i, j), 1e-12);
                    }
                }
            }
        }
    }

    private static double[][][][] to4d(INDArray a) {
        long[] s = a.shape();
        double[][][][] out = new double[(int) s[0]][(int) s[1]][(int) s[2]][(int) s[3]];
        for (int i = 0; i < s[0]; i++)
            for (int j = 0; j < s[1]; j++)
                for (int k = 0; k < s[2]; k++)
                    for (int l = 0; l < s[3]; l++)
                        out[i][j][k][l] = a.getDouble(i, j, k, l);
        return out;
    }
}
