package io.github.widenet.zoo;

import io.github.widenet.internal.wrap.InnerGraph;
import io.github.widenet.internal.wrap.LogitsModel;
import io.github.widenet.internal.wrap.ParamLayout;
import io.github.widenet.layers.BatchNormMode;
import io.github.widenet.lazy.LazyWrapper;
import io.github.widenet.linearized.LinearizedLayerRuntime;
import io.github.widenet.linearized.LinearizedWrapper;
import io.github.widenet.testing.DoublePrecision;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.zoo.ZooModel;
import org.deeplearning4j.zoo.model.AlexNet;
import org.deeplearning4j.zoo.model.Darknet19;
import org.deeplearning4j.zoo.model.InceptionResNetV1;
import org.deeplearning4j.zoo.model.LeNet;
import org.deeplearning4j.zoo.model.ResNet50;
import org.deeplearning4j.zoo.model.SimpleCNN;
import org.deeplearning4j.zoo.model.SqueezeNet;
import org.deeplearning4j.zoo.model.TinyYOLO;
import org.deeplearning4j.zoo.model.UNet;
import org.deeplearning4j.zoo.model.VGG16;
import org.deeplearning4j.zoo.model.Xception;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DL4J's zoo models at random initialisation (no pretrained weights), in double, at small inputs, as a new user would wrap
 * them: each supported model is wrapped lazily (output exactly 0 at initialisation, one {@code fit} on 2 random images
 * gives finite parameters) and linearized (its JVP equals central finite differences of the network's logits on a random
 * direction); each unsupported one is refused with the exact message saying what to change. Zoo models use dropout (the
 * wrappers take {@code ignoreDropout(true)}) and some L2 regularization ({@code allowNotLazyTraining(true)}).
 */
@ExtendWith(DoublePrecision.class)
class ZooModelsTest {

    private static final Sgd SGD = new Sgd(0.01);

    /** A zoo model, its input [channels, height, width], and whether it has L2 regularization. */
    record Zoo(String name, Supplier<ZooModel> model, int[] shape, boolean regularized) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> supported() {
        return Stream.of(
                Arguments.of(new Zoo("LeNet", () -> LeNet.builder().numClasses(3).updater(SGD).build(),
                        new int[]{1, 28, 28}, false)),
                Arguments.of(new Zoo("SqueezeNet", () -> SqueezeNet.builder().numClasses(3).updater(SGD)
                        .inputShape(new int[]{3, 32, 32}).build(), new int[]{3, 32, 32}, true)),
                Arguments.of(new Zoo("Darknet19", () -> Darknet19.builder().numClasses(3).updater(SGD)
                        .inputShape(new int[]{3, 32, 32}).build(), new int[]{3, 32, 32}, true)));
    }

    /** The zoo model in double precision. */
    private static Model doubleInit(ZooModel zoo) {
        Model m = zoo.init();
        if (m instanceof MultiLayerNetwork) {
            MultiLayerConfiguration c = ((MultiLayerNetwork) m).getLayerWiseConfigurations().clone();
            c.setDataType(DataType.DOUBLE);
            MultiLayerNetwork net = new MultiLayerNetwork(c);
            net.init();
            return net;
        }
        ComputationGraphConfiguration c = ((ComputationGraph) m).getConfiguration().clone();
        c.setDataType(DataType.DOUBLE);
        ComputationGraph g = new ComputationGraph(c);
        g.init();
        return g;
    }

    private static <B extends io.github.widenet.wrap.WrapperBuilder<B>> B options(B b, Zoo z) {
        return b.ignoreDropout(true).allowNotLazyTraining(z.regularized());
    }

    private static Model wrap(io.github.widenet.wrap.WrapperBuilder<?> b, Model net) {
        return net instanceof MultiLayerNetwork ? b.wrap((MultiLayerNetwork) net) : b.wrap((ComputationGraph) net);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("supported")
    void wrapsLazilyAndLinearizedWithTheExactTangent(Zoo z) {
        Model net = doubleInit(z.model().get());
        INDArray x = input(1, 2, z.shape());
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 2, 3);
        y.putScalar(0, 0, 1.0);
        y.putScalar(1, 2, 1.0);

        Model lazy = wrap(options(LazyWrapper.builder().alpha(10), z), net);
        INDArray atInit = lazy instanceof MultiLayerNetwork ? ((MultiLayerNetwork) lazy).feedForwardToLayer(0, x, false)
                .get(1) : ((ComputationGraph) lazy).feedForward(x, false).get("wrapped");
        assertEquals(0.0, atInit.amaxNumber().doubleValue(), 0.0, z + ": lazy output at initialisation");
        if (lazy instanceof MultiLayerNetwork) {
            ((MultiLayerNetwork) lazy).fit(new DataSet(x, y));
        } else {
            ((ComputationGraph) lazy).fit(new DataSet(x, y));
        }
        assertTrue(Double.isFinite(LazyWrapper.lazyLayer(lazy).params().sumNumber().doubleValue()), z + ": finite");

        LinearizedLayerRuntime l = LinearizedWrapper.linearizedLayer(wrap(options(LinearizedWrapper.builder(), z), net));
        INDArray w0 = l.initial().dup();
        INDArray d = runningStatisticsZeroed(l, input(2, (int) w0.length()));
        l.trainable().assign(w0.add(d));
        INDArray jvp = l.tangent(x);
        LogitsModel h = (net instanceof MultiLayerNetwork ? LogitsModel.of((MultiLayerNetwork) net)
                : LogitsModel.of((ComputationGraph) net)).withBatchNorm(BatchNormMode.INFERENCE, v -> v)
                .withoutDropout(true);
        double scale = jvp.amaxNumber().doubleValue();
        // tiny step: at random initialisation Darknet19's logits are ~1e-5 and its leaky relus' kinks are crossed by
        // larger steps (error falling like ε, not ε², down to 1e-7)
        double eps = 1e-9;
        INDArray plus = new InnerGraph(h.logits(), w0.add(d.mul(eps)), null).forward(x, false).dup();
        INDArray minus = new InnerGraph(h.logits(), w0.sub(d.mul(eps)), null).forward(x, false).dup();
        INDArray fd = plus.subi(minus).divi(2 * eps);
        assertTrue(scale > 1e-6, z + ": the direction must change the logits");
        assertEquals(0.0, fd.subi(jvp).amaxNumber().doubleValue(), 1e-3 * scale, z + ": J·d vs finite differences");
    }

    /** A zoo model that stays unsupported, and the exact message its wrapping gives. */
    record Refused(String name, Supplier<ZooModel> model, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of(new Refused("TinyYOLO", () -> TinyYOLO.builder().numClasses(3).updater(SGD)
                        .inputShape(new int[]{3, 32, 32}).build(), "the final vertex 'outputs' (Yolo2OutputLayer) "
                        + "computes YOLO's detection loss on a grid of boxes, not a loss on [batch, K] logits: object "
                        + "detection networks are not supported by the wrappers (end the network with an OutputLayer or "
                        + "LossLayer)")),
                Arguments.of(new Refused("InceptionResNetV1", () -> InceptionResNetV1.builder().numClasses(3)
                        .updater(SGD).inputShape(new int[]{3, 80, 80}).build(), "the final vertex 'outputLayer' "
                        + "(CenterLossOutputLayer) is not supported: the wrappers take a final OutputLayer or LossLayer")),
                Arguments.of(new Refused("SimpleCNN", () -> SimpleCNN.builder().numClasses(3).updater(SGD)
                        .inputShape(new int[]{3, 32, 32}).build(), "the final layer 32 (ActivationLayer) is not an "
                        + "output or loss layer: the network has no loss to wrap (end it with an OutputLayer or "
                        + "LossLayer)")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void unsupportedModelsAreRefusedWithWhatToChange(Refused r) {
        Model net = r.model().get().init();
        Exception e = assertThrows(IllegalArgumentException.class,
                () -> wrap(LinearizedWrapper.builder().ignoreDropout(true).allowNotLazyTraining(true), net));
        assertTrue(e.getMessage().startsWith(r.message()), r + ": " + e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> wrap(LazyWrapper.builder().alpha(10), net));
        assertEquals(r.message(), e.getMessage());
    }

    /**
     * UNet ends with a convolution's sigmoid and a CnnLossLayer (per-pixel loss): the wrappers take it (logits = the
     * values before the sigmoid, per pixel); the empirical NTK, defined for [batch, K] logits, refuses it naming what to do.
     */
    @org.junit.jupiter.api.Test
    void uNetIsWrappedPerPixelAndRefusedByTheNtk() {
        ComputationGraph net = (ComputationGraph) UNet.builder().updater(SGD).inputShape(new int[]{3, 32, 32}).build()
                .init();
        ComputationGraph lin = LinearizedWrapper.builder().ignoreDropout(true).allowNotLazyTraining(true).wrap(net);
        assertEquals("CnnLossLayer", lin.getLayer("loss").conf().getLayer().getClass().getSimpleName());
        Exception e = assertThrows(IllegalArgumentException.class, () -> io.github.widenet.ntk.EmpiricalNtk.of(net, 1));
        assertEquals("the final CnnLossLayer is a per-position loss (logits of rank 4, per pixel): the empirical NTK is "
                + "computed for [batch, K] logits only; end the network with GlobalPoolingLayer + OutputLayer for one "
                + "prediction per example, or use LazyWrapper / LinearizedWrapper, which support this head", e.getMessage());
    }

    /**
     * AlexNet: its dropout is refused by default (naming the opt-in), and with dropout ignored its local response
     * normalization is refused by both wrappers saying why: DL4J M2.1's own LRN backprop is not the derivative of its
     * forward pass (LrnTangentTest), and training and the NTK go through it. (Its per-layer gradient normalization,
     * refused too, comes after.)
     */
    @org.junit.jupiter.api.Test
    void alexNetIsRefusedNamingEachFix() {
        Model net = AlexNet.builder().numClasses(3).updater(SGD).inputShape(new int[]{3, 64, 64}).build().init();
        Exception e = assertThrows(IllegalArgumentException.class, () -> wrap(LinearizedWrapper.builder(), net));
        assertTrue(e.getMessage().contains("uses dropout Dropout(p = 0.5)")
                && e.getMessage().contains("LinearizedWrapper.builder().ignoreDropout(true)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> wrap(LinearizedWrapper.builder().ignoreDropout(true), net));
        assertEquals(io.github.widenet.internal.tangent.LrnBackprop.message("layer 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> wrap(LazyWrapper.builder().alpha(10).ignoreDropout(true)
                .allowNotLazyTraining(true), net));
        assertEquals(io.github.widenet.internal.tangent.LrnBackprop.message("layer 1"), e.getMessage());
    }

    private static INDArray runningStatisticsZeroed(LinearizedLayerRuntime l, INDArray d) {
        ParamLayout layout = ParamLayout.of(l.layerConf());
        for (int i = 0; i < layout.keys().size(); i++) {
            String p = ParamLayout.paramOf(layout.keys().get(i));
            if (p.equals("mean") || p.equals("var") || p.equals("log10stdev")) {
                d.get(NDArrayIndex.interval(layout.offset(i), layout.offset(i) + layout.length(i))).assign(0);
            }
        }
        return d;
    }

    private static INDArray input(long seed, int n, int... shape) {
        Nd4j.getRandom().setSeed(seed);
        long[] s = new long[shape.length + 1];
        s[0] = n;
        for (int i = 0; i < shape.length; i++) {
            s[i + 1] = shape[i];
        }
        return Nd4j.randn(DataType.DOUBLE, s);
    }
}
