package io.github.widenet.layers.runtime;

import io.github.widenet.layers.FastConvolutionLayer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.File;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FastConvolutionLayer against DL4J's ConvolutionLayer with the same parameters: outputs, loss gradients and input
 * gradients agree (DL4J's im2col backward is the independent reference); the kept forward output is used exactly when
 * it may be.
 */
class FastConvolutionLayerTest {

    /** conv(3×3, mode, activation, bias) → max pool 2×2 → conv(2×2, same activation) → softmax 3, on 8×8×2 input. */
    private static MultiLayerNetwork net(boolean fast, ConvolutionMode mode, Activation act, boolean bias, DataType dt) {
        return net(fast, mode, act, bias, dt, CNN2DFormat.NCHW);
    }

    private static MultiLayerNetwork net(boolean fast, ConvolutionMode mode, Activation act, boolean bias, DataType dt,
                                         CNN2DFormat format) {
        BiFunction<int[], Integer, ConvolutionLayer.Builder> conv = (k, nOut) -> (fast
                ? new FastConvolutionLayer.Builder(k) : new ConvolutionLayer.Builder(k));
        ConvolutionLayer.Builder first = conv.apply(new int[]{3, 3}, 4);
        first.nOut(4).hasBias(bias).convolutionMode(mode).activation(act).dataFormat(format);
        if (mode == ConvolutionMode.Truncate) {
            first.stride(2, 2).padding(1, 1);
        }
        ConvolutionLayer.Builder second = conv.apply(new int[]{2, 2}, 3);
        second.nOut(3).activation(act).dataFormat(format);
        MultiLayerConfiguration c = new NeuralNetConfiguration.Builder().seed(3).dataType(dt).updater(new Sgd(0.1))
                .list()
                .layer(first.build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .dataFormat(format).build())
                .layer(second.build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(mode == ConvolutionMode.Truncate ? 12 : 8,
                        mode == ConvolutionMode.Truncate ? 12 : 8, 2, format))
                .build();
        MultiLayerNetwork n = new MultiLayerNetwork(c);
        n.init();
        return n;
    }

    private static INDArray labels(int n, DataType dt) {
        INDArray y = Nd4j.zeros(dt, n, 3);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, (i * 7) % 3, 1.0);
        }
        return y;
    }

    private static double relDiff(INDArray a, INDArray b) {
        double scale = Math.max(1e-300, b.amaxNumber().doubleValue());
        return a.sub(b).amaxNumber().doubleValue() / scale;
    }

    @ParameterizedTest(name = "{0}, {1}, bias={2}, {3}")
    @CsvSource({"Same, RELU, true, DOUBLE", "Same, IDENTITY, false, DOUBLE", "Truncate, RELU, false, DOUBLE",
            "Truncate, TANH, true, DOUBLE", "Same, RELU, true, FLOAT", "Truncate, IDENTITY, true, FLOAT"})
    void sameOutputsAndGradientsAsDl4jConvolution(ConvolutionMode mode, Activation act, boolean bias, DataType dt) {
        compareWithDl4j(mode, act, bias, dt);
    }

    /** The same comparison with the backward pass forced onto oneDNN's direct convolution (float only). */
    @ParameterizedTest(name = "{0}, {1}, bias={2}")
    @CsvSource({"Same, RELU, true", "Truncate, IDENTITY, false", "Truncate, RELU, true"})
    void directOneDnnBackwardEqualsDl4jConvolution(ConvolutionMode mode, Activation act, boolean bias) {
        String before = System.getProperty(ConvolutionBackwardChoice.PROPERTY);
        System.setProperty(ConvolutionBackwardChoice.PROPERTY, "direct");
        try {
            compareWithDl4j(mode, act, bias, DataType.FLOAT);
        } finally {
            if (before == null) {
                System.clearProperty(ConvolutionBackwardChoice.PROPERTY);
            } else {
                System.setProperty(ConvolutionBackwardChoice.PROPERTY, before);
            }
        }
    }

    /**
     * NHWC data (DL4J's {@code CNN2DFormat.NHWC}): the same comparison, auto and forced-direct backward, the forward
     * on oneDNN's NHWC kernels in place (the rule's choice for these narrow layers) and through its blocked layout.
     */
    @ParameterizedTest(name = "NHWC {0}, {1}, bias={2}, {3}, backward {4}, forward {5}")
    @CsvSource({"Same, RELU, true, FLOAT, auto, auto", "Truncate, IDENTITY, false, FLOAT, direct, auto",
            "Same, RELU, true, FLOAT, direct, auto", "Truncate, RELU, true, DOUBLE, auto, auto",
            "Same, RELU, false, FLOAT, nd4j, auto", "Same, RELU, true, FLOAT, direct, blocked",
            "Truncate, IDENTITY, true, FLOAT, auto, blocked"})
    void nhwcEqualsDl4jConvolution(ConvolutionMode mode, Activation act, boolean bias, DataType dt, String backward,
                                   String forward) {
        String before = System.getProperty(ConvolutionBackwardChoice.PROPERTY);
        String forwardBefore = System.getProperty(NHWC_FORWARD);
        System.setProperty(ConvolutionBackwardChoice.PROPERTY, backward);
        System.setProperty(NHWC_FORWARD, forward);
        try {
            compareWithDl4j(mode, act, bias, dt, CNN2DFormat.NHWC);
        } finally {
            restore(ConvolutionBackwardChoice.PROPERTY, before);
            restore(NHWC_FORWARD, forwardBefore);
        }
    }

    /** The property that puts NHWC forward convolutions on oneDNN's blocked layout or its NHWC kernels. */
    private static final String NHWC_FORWARD = "widenet.conv.nhwcForward";

    private static void compareWithDl4j(ConvolutionMode mode, Activation act, boolean bias, DataType dt) {
        compareWithDl4j(mode, act, bias, dt, CNN2DFormat.NCHW);
    }

    private static void compareWithDl4j(ConvolutionMode mode, Activation act, boolean bias, DataType dt,
                                        CNN2DFormat format) {
        MultiLayerNetwork dl4j = net(false, mode, act, bias, dt, format);
        MultiLayerNetwork fast = net(true, mode, act, bias, dt, format);
        fast.setParams(dl4j.params());
        int side = mode == ConvolutionMode.Truncate ? 12 : 8;
        Nd4j.getRandom().setSeed(7);
        INDArray x = format == CNN2DFormat.NHWC ? Nd4j.randn(dt, 5, side, side, 2) : Nd4j.randn(dt, 5, 2, side, side);
        INDArray y = labels(5, dt);
        double tol = dt == DataType.DOUBLE ? 1e-12 : 1e-5;

        assertEquals(0.0, relDiff(fast.output(x), dl4j.output(x)), tol);
        dl4j.setInput(x);
        dl4j.setLabels(y);
        dl4j.computeGradientAndScore();
        fast.setInput(x);
        fast.setLabels(y);
        fast.computeGradientAndScore();
        assertEquals(dl4j.score(), fast.score(), tol * Math.abs(dl4j.score()));
        Gradient gd = dl4j.gradient();
        Gradient gf = fast.gradient();
        for (String key : gd.gradientForVariable().keySet()) {
            assertEquals(0.0, relDiff(gf.getGradientFor(key), gd.getGradientFor(key)), tol, key);
        }
        boolean reusable = act != Activation.TANH;
        assertEquals(reusable, ((FastConvolutionLayerRuntime) fast.getLayer(0)).lastBackwardReused());
        assertEquals(reusable && dt == DataType.FLOAT, ((FastConvolutionLayerRuntime) fast.getLayer(0)).lastForwardDirect(),
                "oneDNN's fused forward used for float32 ReLU/identity");
        assertEquals(reusable, ((FastConvolutionLayerRuntime) fast.getLayer(2)).lastBackwardReused());

        // The input gradient of the first layer (not part of the parameter gradient above).
        INDArray eps = Nd4j.randn(dt, fast.getLayer(0).activate(x, true, LayerWorkspaceMgr.noWorkspaces()).shape());
        INDArray fastInputGrad = fast.getLayer(0).backpropGradient(eps.dup(), LayerWorkspaceMgr.noWorkspaces())
                .getSecond();
        dl4j.getLayer(0).activate(x, true, LayerWorkspaceMgr.noWorkspaces());
        INDArray dl4jInputGrad = dl4j.getLayer(0).backpropGradient(eps.dup(), LayerWorkspaceMgr.noWorkspaces())
                .getSecond();
        assertEquals(0.0, relDiff(fastInputGrad, dl4jInputGrad), tol);
    }

    /** The NTK convolution (effective weights σ_w/√fan_in·W) on oneDNN's direct paths equals its ND4J-op paths. */
    @Test
    void ntkConvolutionOnTheDirectPathsEqualsTheNd4jPaths() {
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.randn(DataType.FLOAT, 4, 2, 8, 8);
        INDArray y = labels(4, DataType.FLOAT);
        Gradient[] grads = new Gradient[2];
        INDArray[] outs = new INDArray[2];
        String[] paths = {"nd4j", "direct"};
        for (int i = 0; i < 2; i++) {
            String f = System.getProperty(FastConvolutionLayerRuntime.FORWARD_PROPERTY);
            String b = System.getProperty(ConvolutionBackwardChoice.PROPERTY);
            System.setProperty(FastConvolutionLayerRuntime.FORWARD_PROPERTY, paths[i]);
            System.setProperty(ConvolutionBackwardChoice.PROPERTY, paths[i]);
            try {
                MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5)
                        .dataType(DataType.FLOAT).list()
                        .layer(new io.github.widenet.layers.NtkConvolutionLayer.Builder(3, 3).sigmaW(1.4).nOut(3)
                                .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build())
                        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                                .activation(Activation.SOFTMAX).build())
                        .setInputType(InputType.convolutional(8, 8, 2))
                        .build());
                net.init();
                outs[i] = net.output(x);
                net.setInput(x);
                net.setLabels(y);
                net.computeGradientAndScore();
                grads[i] = net.gradient();
                assertEquals(i == 1, ((FastConvolutionLayerRuntime) net.getLayer(0)).lastForwardDirect());
            } finally {
                restore(FastConvolutionLayerRuntime.FORWARD_PROPERTY, f);
                restore(ConvolutionBackwardChoice.PROPERTY, b);
            }
        }
        assertEquals(0.0, relDiff(outs[1], outs[0]), 1e-5);
        for (String key : grads[0].gradientForVariable().keySet()) {
            assertEquals(0.0, relDiff(grads[1].getGradientFor(key), grads[0].getGradientFor(key)), 1e-5, key);
        }
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    @Test
    void backwardAfterTheInputChangedIsDl4jsOwn() {
        MultiLayerNetwork dl4j = net(false, ConvolutionMode.Same, Activation.RELU, true, DataType.DOUBLE);
        MultiLayerNetwork fast = net(true, ConvolutionMode.Same, Activation.RELU, true, DataType.DOUBLE);
        fast.setParams(dl4j.params());
        fast.initGradientsView();
        dl4j.initGradientsView();
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        Nd4j.getRandom().setSeed(9);
        INDArray x1 = Nd4j.randn(DataType.DOUBLE, 3, 2, 8, 8);
        INDArray x2 = Nd4j.randn(DataType.DOUBLE, 3, 2, 8, 8);
        Layer f = fast.getLayer(0);
        Layer d = dl4j.getLayer(0);
        INDArray eps = Nd4j.randn(DataType.DOUBLE, f.activate(x1, true, ws).shape());
        f.setInput(x2, ws);                       // backward now belongs to x2, not to the kept forward of x1
        Pair<Gradient, INDArray> got = f.backpropGradient(eps.dup(), ws);
        assertFalse(((FastConvolutionLayerRuntime) f).lastBackwardReused());
        d.activate(x2, true, ws);
        Pair<Gradient, INDArray> want = d.backpropGradient(eps.dup(), ws);
        assertEquals(0.0, relDiff(got.getFirst().getGradientFor("W"), want.getFirst().getGradientFor("W")), 1e-12);
        assertEquals(0.0, relDiff(got.getSecond(), want.getSecond()), 1e-12);

        // An inference forward keeps nothing: a following backward is DL4J's as well.
        f.activate(x1, false, ws);
        f.backpropGradient(eps.dup(), ws);
        assertFalse(((FastConvolutionLayerRuntime) f).lastBackwardReused());
    }

    @Test
    void jsonAndModelSerializerRoundTrips(@TempDir File dir) throws Exception {
        MultiLayerNetwork net = net(true, ConvolutionMode.Same, Activation.RELU, true, DataType.FLOAT);
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(net.getLayerWiseConfigurations().toJson());
        assertEquals(net.getLayerWiseConfigurations(), back);
        assertInstanceOf(FastConvolutionLayer.class, back.getConf(0).getLayer());

        File file = new File(dir, "net.zip");
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertInstanceOf(FastConvolutionLayerRuntime.class, restored.getLayer(0));
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 2, 8, 8);
        assertEquals(net.output(x), restored.output(x));
        assertTrue(restored.params().equals(net.params()));
    }
}
