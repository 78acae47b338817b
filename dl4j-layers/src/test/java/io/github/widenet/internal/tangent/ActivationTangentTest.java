package io.github.widenet.internal.tangent;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU6;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftPlus;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every registered activation rule against central differences of the activation itself (double precision, points
 * away from kinks), and the registry's refusals naming what is supported.
 */
class ActivationTangentTest {

    @Test
    void everyRuleIsTheDerivativeOfItsActivation() {
        Nd4j.getRandom().setSeed(3);
        List<IActivation> all = List.of(new ActivationIdentity(), new ActivationReLU(), new ActivationLReLU(0.1),
                new ActivationELU(0.7), new ActivationTanH(), new ActivationSigmoid(), new ActivationSoftPlus(),
                new ActivationSoftmax());
        for (IActivation a : all) {
            INDArray z = Nd4j.rand(DataType.DOUBLE, 4, 5).subi(0.5).muli(4);
            z.addi(z.gt(0).castTo(DataType.DOUBLE).muli(2).subi(1).muli(0.05));   // |z| >= 0.05: away from the kinks
            INDArray zDot = Nd4j.randn(DataType.DOUBLE, 4, 5);
            INDArray h0 = a.getActivation(z.dup(), false);
            INDArray tangent = ActivationTangent.apply(a, h0, zDot.dup());
            double eps = 1e-6;
            INDArray plus = a.getActivation(z.add(zDot.mul(eps)), false);
            INDArray minus = a.getActivation(z.sub(zDot.mul(eps)), false);
            INDArray fd = plus.sub(minus).divi(2 * eps);
            double err = tangent.sub(fd).norm2Number().doubleValue() / Math.max(1e-12, fd.norm2Number().doubleValue());
            assertTrue(err < 1e-7, a + ": relative error " + err);
        }
    }

    @Test
    void unsupportedActivationsAndSettingsAreRefusedWithTheList() {
        assertFalse(ActivationTangent.supports(new ActivationReLU6()));
        assertFalse(ActivationTangent.supports(new ActivationReLU(null, 0.5, null)));   // a threshold
        assertFalse(ActivationTangent.supports(new ActivationLReLU(-0.1)));
        UnsupportedLayerException e = assertThrows(UnsupportedLayerException.class,
                () -> ActivationTangent.check(new ActivationReLU6(), "layer 3"));
        assertTrue(e.getMessage().startsWith("layer 3: activation ") && e.getMessage().contains("supported: identity, "
                + "plain relu, leakyrelu with alpha >= 0, elu with alpha >= 0, tanh, sigmoid, softplus, softmax"),
                e.getMessage());
    }
}
