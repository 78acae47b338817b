package io.github.widenet.layers.runtime;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The in-place activation backprop gives exactly what DL4J's own backprop gives, and a plain-loop reference. */
class ActivationBackpropTest {

    private static INDArray z(DataType type) {
        Nd4j.getRandom().setSeed(7);
        INDArray z = Nd4j.randn(type, 37, 53).muli(2);
        z.putScalar(0, 0, 0.0);                      // exact zeros: ReLU's derivative there is 0 in DL4J
        z.putScalar(5, 7, -0.0);
        return z.dup('f');
    }

    private static INDArray dA(DataType type) {
        Nd4j.getRandom().setSeed(8);
        return Nd4j.randn(type, 37, 53).dup('f');
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void reluAndTanhMatchDl4jBitForBit(DataType type) {
        for (Activation a : new Activation[]{Activation.RELU, Activation.TANH, Activation.SIGMOID}) {
            IActivation fn = a.getActivationFunction();
            INDArray expected = fn.backprop(z(type), dA(type)).getFirst();
            INDArray actual = ActivationBackprop.backprop(fn, z(type), dA(type));
            assertArrayEquals(expected.dup().data().asDouble(), actual.dup().data().asDouble(), 0.0, a.name());
        }
    }

    @Test
    void reluMatchesAPlainLoop() {
        INDArray z = z(DataType.DOUBLE);
        INDArray dA = dA(DataType.DOUBLE);
        double[][] zz = z.toDoubleMatrix();
        double[][] dd = dA.toDoubleMatrix();
        double[][] got = ActivationBackprop.backprop(Activation.RELU.getActivationFunction(), z.dup('f'), dA.dup('f'))
                .toDoubleMatrix();
        double[][] tanh = ActivationBackprop.backprop(Activation.TANH.getActivationFunction(), z.dup('f'), dA.dup('f'))
                .toDoubleMatrix();
        for (int i = 0; i < zz.length; i++) {
            for (int j = 0; j < zz[i].length; j++) {
                assertEquals(zz[i][j] > 0 ? dd[i][j] : 0.0, got[i][j], 0.0);
                double t = Math.tanh(zz[i][j]);
                assertEquals(dd[i][j] * (1 - t * t), tanh[i][j], 1e-12);
            }
        }
    }

    @Test
    void aReluWithThresholdSlopeOrCapKeepsDl4jsBackprop() {
        for (ActivationReLU fn : new ActivationReLU[]{new ActivationReLU(null, 0.5, null),
                new ActivationReLU(null, null, 0.1), new ActivationReLU(1.0, null, null)}) {
            INDArray expected = fn.backprop(z(DataType.DOUBLE), dA(DataType.DOUBLE)).getFirst();
            INDArray actual = ActivationBackprop.backprop(fn, z(DataType.DOUBLE), dA(DataType.DOUBLE));
            assertArrayEquals(expected.dup().data().asDouble(), actual.dup().data().asDouble(), 0.0, fn.toString());
        }
    }
}
