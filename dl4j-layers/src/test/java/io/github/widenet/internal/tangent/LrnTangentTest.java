package io.github.widenet.internal.tangent;

import io.github.widenet.internal.wrap.InnerGraph;
import io.github.widenet.internal.wrap.LogitsModel;
import io.github.widenet.linearized.LinearizedWrapper;
import io.github.widenet.testing.DoublePrecision;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LocalResponseNormalization in double: the tangent rule (the derivative of DL4J's forward formula) equals central
 * finite differences of the network's logits (rule driven outside the registry); DL4J M2.1's own LRN backprop fails
 * GradientCheckUtil (NCHW), so the wrappers and the NTK refuse LRN saying why.
 */
@ExtendWith(DoublePrecision.class)
class LrnTangentTest {

    /** conv 2×2 (tanh, 5 channels) → LRN(n = 3, k = 2, α = 0.5, β = 0.75) → output 3 (softmax). */
    static MultiLayerNetwork net(CNN2DFormat format) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5)
                .dataType(DataType.DOUBLE).updater(new Sgd(1.0)).list()
                .layer(new ConvolutionLayer.Builder(2, 2).nOut(5).activation(Activation.TANH).dataFormat(format).build())
                .layer(new LocalResponseNormalization.Builder(2, 3, 0.5, 0.75).dataFormat(format).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutional(4, 4, 2, format)).build());
        net.init();
        return net;
    }

    /** The registry's rules, and the (unregistered) LRN rule. */
    private static TangentRule withLrn(org.deeplearning4j.nn.conf.layers.Layer conf, String where) {
        return conf instanceof LocalResponseNormalization ? LrnTangent.REGISTRATION.rule().get()
                : TangentRules.forLayer(conf, where);
    }

    static INDArray input(long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.DOUBLE, shape);
    }

    @ParameterizedTest
    @EnumSource(CNN2DFormat.class)
    void tangentIsTheDerivativeOfTheForwardPass(CNN2DFormat format) {
        MultiLayerNetwork net = net(format);
        INDArray x = format == CNN2DFormat.NCHW ? input(1, 2, 2, 4, 4) : input(1, 2, 4, 4, 2);
        LogitsModel h = LogitsModel.of(net);
        InnerGraph primal = new InnerGraph(h.logits(), h.params(), null);
        TangentPass tangent = new TangentPass(primal, h.logits(), LrnTangentTest::withLrn);
        INDArray w0 = h.params();
        double worst = 0;
        for (int seed = 2; seed < 5; seed++) {
            INDArray d = input(seed, w0.length());
            primal.forward(x, true);
            tangent.direction().assign(d);
            INDArray jvp = tangent.push((int) x.size(0)).dup();
            double eps = 1e-6;
            INDArray plus = new InnerGraph(h.logits(), w0.add(d.mul(eps)), null).forward(x, false).dup();
            INDArray minus = new InnerGraph(h.logits(), w0.sub(d.mul(eps)), null).forward(x, false).dup();
            INDArray fd = plus.subi(minus).divi(2 * eps);
            worst = Math.max(worst, fd.subi(jvp).amaxNumber().doubleValue() / jvp.amaxNumber().doubleValue());
        }
        System.out.println("LRN " + format + ": max relative |J·d - central FD| = " + worst);
        assertTrue(worst < 1e-7, format + ": relative error " + worst);
    }

    @ParameterizedTest
    @EnumSource(CNN2DFormat.class)
    void dl4jsLrnBackprop(CNN2DFormat format) {
        MultiLayerNetwork net = net(format);
        INDArray x = format == CNN2DFormat.NCHW ? input(1, 2, 2, 4, 4) : input(1, 2, 4, 4, 2);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 2, 3);
        y.putScalar(0, 1, 1.0);
        y.putScalar(1, 2, 1.0);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9));
        System.out.println("LRN " + format + ": DL4J's gradient check " + ok);
        // NCHW: if this fails, DL4J's LRN backprop is now right: register LrnTangent.REGISTRATION, drop LrnBackprop.
        // (NHWC fails for NHWC convolutions alone too, see PerPositionHeadsTest, so it proves nothing about LRN.)
        if (format == CNN2DFormat.NCHW) {
            org.junit.jupiter.api.Assertions.assertFalse(ok, "DL4J's LRN backprop now passes the gradient check");
        }
    }

    @ParameterizedTest
    @EnumSource(CNN2DFormat.class)
    void wrappersAndNtkRefuseLrnSayingWhy(CNN2DFormat format) {
        MultiLayerNetwork net = net(format);
        String expected = LrnBackprop.message("layer 1");
        for (org.junit.jupiter.api.function.Executable wrap : java.util.List.<org.junit.jupiter.api.function.Executable>of(
                () -> io.github.widenet.lazy.LazyWrapper.wrap(net, 10), () -> LinearizedWrapper.wrap(net),
                () -> io.github.widenet.ntk.EmpiricalNtk.of(net, 1))) {
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, wrap);
            org.junit.jupiter.api.Assertions.assertEquals(expected, e.getMessage());
        }
    }
}
