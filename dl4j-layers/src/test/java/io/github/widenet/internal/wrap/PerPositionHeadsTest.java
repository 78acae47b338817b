package io.github.widenet.internal.wrap;

import io.github.widenet.wrap.EmbeddedNetworkLayer;
import io.github.widenet.lazy.LazyWrapper;
import io.github.widenet.linearized.LinearizedLayerRuntime;
import io.github.widenet.linearized.LinearizedWrapper;
import io.github.widenet.ntk.EmpiricalNtk;
import io.github.widenet.ntk.NtkRegression;
import io.github.widenet.testing.DoublePrecision;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-position heads in double: CnnLossLayer (per-pixel logits z ∈ [N, K, H, W], or NHWC) and RnnLossLayer (per-time-step
 * logits [N, K, T]; NWC is not fittable even unwrapped in DL4J M2.1). The lazy model α(h(w) − h(w0)) is exactly 0 at initialisation, with or without the cache of
 * h(w0, x); DL4J's gradient check passes on the lazy and the linearized networks (their loss layer is the head's kind;
 * not for NHWC, where it fails on the unwrapped DL4J network too);
 * the linearized J·d equals central finite differences; the NTK refuses these heads naming what to do.
 */
@ExtendWith(DoublePrecision.class)
class PerPositionHeadsTest {

    record Net(String name, Supplier<MultiLayerNetwork> net, long[] input, long[] labels) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> nets() {
        return Stream.of(
                Arguments.of(new Net("CnnLossLayer NCHW softmax", () -> cnn(CNN2DFormat.NCHW, false),
                        new long[]{2, 1, 4, 4}, new long[]{2, 3, 4, 4})),
                Arguments.of(new Net("CnnLossLayer NHWC softmax", () -> cnn(CNN2DFormat.NHWC, false),
                        new long[]{2, 4, 4, 1}, new long[]{2, 4, 4, 3})),
                Arguments.of(new Net("conv sigmoid + CnnLossLayer identity (as UNet)", () -> cnn(CNN2DFormat.NCHW, true),
                        new long[]{2, 1, 4, 4}, new long[]{2, 3, 4, 4})),
                // RnnLossLayer NWC is not tested: in DL4J M2.1 the unwrapped network itself fails to fit (its score
                // reshapes NWC logits as NCW: "Labels and preOutput must have equal shapes: [6, 5] vs [10, 3]")
                Arguments.of(new Net("RnnLossLayer NCW", () -> rnn(RNNFormat.NCW), new long[]{2, 3, 5},
                        new long[]{2, 3, 5})));
    }

    /** conv 3×3 (tanh) → conv 1×1 to 3 channels → CnnLossLayer(softmax, MCXENT), or conv 1×1 sigmoid → (identity, XENT). */
    static MultiLayerNetwork cnn(CNN2DFormat format, boolean sigmoid) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE)
                .updater(new Sgd(1.0)).convolutionMode(ConvolutionMode.Same).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.TANH).dataFormat(format).build())
                .layer(new ConvolutionLayer.Builder(1, 1).nOut(3).dataFormat(format)
                        .activation(sigmoid ? Activation.SIGMOID : Activation.IDENTITY).build())
                .layer(new CnnLossLayer.Builder(sigmoid ? LossFunctions.LossFunction.XENT
                        : LossFunctions.LossFunction.MCXENT).format(format)
                        .activation(sigmoid ? Activation.IDENTITY : Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(4, 4, 1, format)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** dense per time step (tanh) → dense to 3 → RnnLossLayer(softmax, MCXENT); DL4J's rnn↔ff preprocessors between. */
    static MultiLayerNetwork rnn(RNNFormat format) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE)
                .updater(new Sgd(1.0)).list()
                .layer(new DenseLayer.Builder().nOut(4).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nOut(3).activation(Activation.IDENTITY).build())
                .layer(new RnnLossLayer.Builder(LossFunctions.LossFunction.MCXENT).dataFormat(format)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(3, 5, format)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static INDArray labels(long[] shape, boolean channelsLast) {
        Nd4j.getRandom().setSeed(7);
        long[] first = shape.clone();     // channels first: [N, K, ...]
        if (channelsLast) {
            first = new long[]{shape[0], shape[shape.length - 1], shape[1], shape[2]};
        }
        INDArray y = Nd4j.rand(DataType.DOUBLE, first);
        y = y.divi(y.sum(true, 1));    // a distribution over the K classes at each position
        return channelsLast ? y.permute(0, 2, 3, 1).dup('c') : y;
    }

    private static INDArray input(long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.DOUBLE, shape);
    }

    private static boolean channelsLast(Net n) {
        return n.name().contains("NHWC") || n.name().contains("NWC");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nets")
    void lazyIsZeroAtInitAndItsGradientChecks(Net n) {
        MultiLayerNetwork net = n.net().get();
        INDArray x = input(1, n.input());
        INDArray y = labels(n.labels(), channelsLast(n));
        for (int cache : new int[]{0, 10}) {
            MultiLayerNetwork lazy = LazyWrapper.builder().alpha(10).cacheSize(cache).wrap(net);
            assertInstanceOf(net.getLayerWiseConfigurations().getConf(2).getLayer().getClass(),
                    lazy.getLayerWiseConfigurations().getConf(1).getLayer(), n + ": the head's kind of loss layer");
            INDArray out = lazy.feedForwardToLayer(0, x, false).get(1);
            assertEquals(x.size(0), out.size(0));
            assertEquals(0.0, out.amaxNumber().doubleValue(), 0.0, n + ": lazy output at initialisation, cache " + cache);
            lazy.fit(new DataSet(x, y));
            lazy.fit(new DataSet(x, y));    // second pass: h(w0, x) from the cache when cache > 0
            assertTrue(lazy.feedForwardToLayer(0, x, false).get(1).amaxNumber().doubleValue() > 0, n + ": trained");
            // checked at w0 + small noise: after the fits α(h(w) − h(w0)) makes some softmax probabilities < 1e-10,
            // where MCXENT's score clips them and finite differences no longer see the gradient
            MultiLayerNetwork checked = LazyWrapper.builder().alpha(10).cacheSize(cache).wrap(net);
            INDArray w = LazyWrapper.lazyLayer(checked).trainable();
            w.addi(input(6, w.length()).muli(0.05));
            // NHWC: DL4J M2.1's gradient check fails on the unwrapped NHWC network itself (conv + CnnLossLayer NHWC)
            assertTrue(n.name().contains("NHWC") || GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(checked).input(x).labels(y)
                    .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                    .excludeParams(frozen(checked))), n + ": lazy gradient check");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nets")
    void linearizedTangentIsTheDerivativeAndItsGradientChecks(Net n) {
        MultiLayerNetwork net = n.net().get();
        INDArray x = input(1, n.input());
        INDArray y = labels(n.labels(), channelsLast(n));
        MultiLayerNetwork lin = LinearizedWrapper.wrap(net);
        LinearizedLayerRuntime l = LinearizedWrapper.linearizedLayer(lin);
        INDArray w0 = l.initial().dup();
        LogitsModel h = LogitsModel.of(net);
        double worst = 0;
        for (int seed = 2; seed < 4; seed++) {
            INDArray d = input(seed, w0.length());
            l.trainable().assign(w0.add(d));
            INDArray jvp = l.tangent(x).dup();
            double eps = 1e-6;
            INDArray plus = new InnerGraph(h.logits(), w0.add(d.mul(eps)), null).forward(x, false).dup();
            INDArray minus = new InnerGraph(h.logits(), w0.sub(d.mul(eps)), null).forward(x, false).dup();
            assertEquals(java.util.Arrays.toString(plus.shape()), java.util.Arrays.toString(jvp.shape()), n + ": shape");
            INDArray fd = plus.subi(minus).divi(2 * eps);
            worst = Math.max(worst, fd.subi(jvp).amaxNumber().doubleValue() / jvp.amaxNumber().doubleValue());
        }
        System.out.println(n + ": max relative |J·d - central FD| = " + worst);
        assertTrue(worst < 1e-7, n + ": J·d vs central finite differences, relative " + worst);
        lin.fit(new DataSet(x, y));
        MultiLayerNetwork checked = LinearizedWrapper.wrap(net);
        LinearizedWrapper.linearizedLayer(checked).trainable().addi(input(5, w0.length()).muli(0.05));
        assertTrue(n.name().contains("NHWC") || GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(checked).input(x).labels(y)
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9).excludeParams(frozen(checked))),
                n + ": linearized gradient check");
    }

    @Test
    void ntkRefusesPerPositionLogitsNamingWhatToDo() {
        Exception e = assertThrows(IllegalArgumentException.class, () -> EmpiricalNtk.of(cnn(CNN2DFormat.NCHW, false), 2));
        assertEquals("the final CnnLossLayer is a per-position loss (logits of rank 4, per pixel): the empirical NTK is "
                + "computed for [batch, K] logits only; end the network with GlobalPoolingLayer + OutputLayer for one "
                + "prediction per example, or use LazyWrapper / LinearizedWrapper, which support this head", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NtkRegression.builder().build().fit(rnn(RNNFormat.NCW),
                new org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator<>(java.util.List.of(
                        new DataSet(input(1, 2, 3, 5), input(2, 2, 3, 5))))));
        assertTrue(e.getMessage().startsWith("the final RnnLossLayer is a per-position loss (logits of rank 3, per time "
                + "step): the NTK regression"), e.getMessage());
    }

    @Test
    void graphWithACnnLossLayerIsWrapped() {
        MultiLayerNetwork mln = cnn(CNN2DFormat.NCHW, false);
        ComputationGraph g = mln.toComputationGraph();
        INDArray x = input(1, 2, 1, 4, 4);
        ComputationGraph lazy = LazyWrapper.wrap(g, 10);
        assertEquals(0.0, lazy.feedForward(x, false).get(WrappedNetworks.LAYER).amaxNumber().doubleValue(), 0.0);
        lazy.fit(new DataSet(x, labels(new long[]{2, 3, 4, 4}, false)));
        ComputationGraph lin = LinearizedWrapper.wrap(g);
        assertEquals(0.0, lin.outputSingle(x).sub(mln.output(x)).amaxNumber().doubleValue(), 1e-12,
                "linearized at w0 = the network");
    }

    /** The frozen half [w0] of the wrapper's parameters, excluded from gradient checks. */
    private static java.util.Set<String> frozen(MultiLayerNetwork wrapped) {
        java.util.Set<String> s = new java.util.HashSet<>();
        for (String k : wrapped.paramTable().keySet()) {
            if (k.startsWith("0_" + EmbeddedNetworkLayer.INITIAL_PREFIX)) {
                s.add(k);
            }
        }
        return s;
    }
}
