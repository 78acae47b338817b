package io.github.widenet.lazy;

import io.github.widenet.linearized.LinearizedWrapper;
import io.github.widenet.linearized.TestNets;
import io.github.widenet.testing.DoublePrecision;
import io.github.widenet.internal.wrap.ParamLayout;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Wrapping cases that used to give silent wrong results: graphs whose layers were added out of topological order,
 * regularization and adaptive updaters (which break lazy training), wrapping a wrapped network; and the lazy output at
 * α ≠ 1 against α·(h(w) − h(w0)) computed with two plain DL4J networks.
 */
@ExtendWith(DoublePrecision.class)
class WrapperHardeningTest {

    /**
     * in → a (Sgd 0.1, tanh) → b (Nesterov 0.05, sigmoid) → out (Sgd 0.3, identity, MSE), with the vertices added in the
     * order out, b, a: paramTable() lists them in that order while params() is laid out a, b, out.
     */
    private static ComputationGraph outOfOrderGraph() {
        ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(12).dataType(DataType.DOUBLE)
                .graphBuilder()
                .addInputs("in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2)
                        .activation(Activation.IDENTITY).updater(new Sgd(0.3)).build(), "b")
                .addLayer("b", new DenseLayer.Builder().nIn(6).nOut(4).activation(Activation.SIGMOID)
                        .updater(new Nesterovs(0.05, 0.9)).build(), "a")
                .addLayer("a", new DenseLayer.Builder().nIn(3).nOut(6).activation(Activation.TANH)
                        .updater(new Sgd(0.1)).build(), "in")
                .setOutputs("out")
                .build());
        g.init();
        return g;
    }

    @Test
    void parameterLayoutFollowsTheFlatArrayForGraphsBuiltOutOfOrder() {
        ComputationGraph g = outOfOrderGraph();
        ComputationGraphConfiguration conf = g.getConfiguration();
        ParamLayout layout = ParamLayout.of(conf);
        INDArray flat = g.params().reshape(g.params().length());
        for (int i = 0; i < layout.keys().size(); i++) {
            INDArray slice = flat.get(NDArrayIndex.interval(layout.offset(i), layout.offset(i) + layout.length(i)));
            INDArray param = g.paramTable().get(layout.keys().get(i));
            assertEquals(slice, Nd4j.toFlattened('f', param).reshape(param.length()), "key " + layout.keys().get(i));
        }
        assertEquals(List.of("a_W", "a_b", "b_W", "b_b", "out_W", "out_b"), layout.keys());
    }

    /** At α = 1 the lazy graph trains exactly like the graph itself on targets y + h(w0), per-layer updaters included. */
    @Test
    void outOfOrderGraphTrainsLazilyLikeItself() {
        ComputationGraph net = outOfOrderGraph();
        ComputationGraph lazy = LazyWrapper.wrap(net.clone(), 1);
        INDArray x = TestNets.input(3, 8, 3);
        INDArray y = TestNets.input(4, 8, 2);
        INDArray h0 = net.outputSingle(x);
        for (int i = 0; i < 8; i++) {
            net.fit(new DataSet(x, y.add(h0)));
            lazy.fit(new DataSet(x, y));
        }
        assertTrue(net.outputSingle(x).sub(h0).amaxNumber().doubleValue() > 1e-2, "the graph must train");
        assertEquals(0.0, net.outputSingle(x).sub(h0).sub(lazy.outputSingle(x)).amaxNumber().doubleValue(), 1e-12);
    }

    /** α(h(w) − h(w0)) against two plain copies of the network, one moved to w and one kept at w0. */
    @Test
    void lazyOutputIsAlphaTimesTheDifferenceOfTwoPlainNetworks() {
        double alpha = 37.5;
        MultiLayerNetwork net = TestNets.dense();
        MultiLayerNetwork atW0 = net.clone();
        MultiLayerNetwork lazy = LazyWrapper.wrap(net, alpha);
        LazyLayerRuntime l = LazyWrapper.lazyLayer(lazy);
        Nd4j.getRandom().setSeed(5);
        l.trainable().addi(Nd4j.randn(DataType.DOUBLE, l.trainable().length()).muli(0.2));
        MultiLayerNetwork atW = net.clone();
        atW.setParams(l.trainable().reshape(1, l.trainable().length()));
        INDArray x = TestNets.input(6, 9, 5);
        INDArray expected = atW.output(x).sub(atW0.output(x)).muli(alpha);
        assertTrue(expected.amaxNumber().doubleValue() > 1, "the perturbation must change the output");
        assertEquals(0.0, lazy.output(x).sub(expected).amaxNumber().doubleValue(),
                1e-12 * expected.amaxNumber().doubleValue());
    }

    /** The wrapped score is R/α²; unscaledScore gives R, computed here from the outputs by plain loops (MSE). */
    @Test
    void unscaledScoreIsTheLossWithoutOneOverAlphaSquared() {
        double alpha = 20;
        MultiLayerNetwork lazy = LazyWrapper.wrap(TestNets.dense(), alpha);
        LazyLayerRuntime l = LazyWrapper.lazyLayer(lazy);
        Nd4j.getRandom().setSeed(8);
        l.trainable().addi(Nd4j.randn(DataType.DOUBLE, l.trainable().length()).muli(0.05));
        INDArray x = TestNets.input(9, 6, 5);
        INDArray y = TestNets.input(10, 6, 3);
        INDArray out = lazy.output(x);
        double r = 0;
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 3; j++) {
                double d = y.getDouble(i, j) - out.getDouble(i, j);
                r += d * d / 3 / 6;
            }
        }
        lazy.setInput(x);
        lazy.setLabels(y);
        lazy.computeGradientAndScore();
        assertEquals(r / (alpha * alpha), lazy.score(), 1e-12 * r);
        assertEquals(r, io.github.widenet.internal.wrap.WrappedNetworks.unscaledScore(lazy), 1e-10 * r);
        assertEquals(1 / (alpha * alpha), l.layerConf().lossFactor(), 0.0);
        MultiLayerNetwork plain = TestNets.dense();
        plain.setInput(x);
        plain.setLabels(y);
        plain.computeGradientAndScore();
        assertEquals(plain.score(), io.github.widenet.internal.wrap.WrappedNetworks.unscaledScore(plain), 0.0);
    }

    private static MultiLayerNetwork denseWith(IUpdater updater, double l1, double l2, double weightDecay) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .dataType(DataType.DOUBLE).list()
                .layer(new DenseLayer.Builder().nIn(5).nOut(6).activation(Activation.TANH).name("hidden")
                        .updater(new Sgd(0.1)).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY)
                        .name("head").updater(updater).l1(l1).l2(l2).weightDecay(weightDecay).build())
                .setInputType(InputType.feedForward(5))
                .build());
        net.init();
        return net;
    }

    @Test
    void adaptiveUpdatersAreRefusedByBothWrappersNamingTheLayerAndTheReason() {
        for (IUpdater u : new IUpdater[]{new Adam(0.01), new RmsProp(0.01), new AdaGrad(0.01)}) {
            MultiLayerNetwork net = denseWith(u, 0, 0, 0);
            IllegalArgumentException lazy = assertThrows(IllegalArgumentException.class, () -> LazyWrapper.wrap(net, 100));
            IllegalArgumentException lin = assertThrows(IllegalArgumentException.class,
                    () -> LinearizedWrapper.wrap(net));
            for (IllegalArgumentException e : new IllegalArgumentException[]{lazy, lin}) {
                String m = e.getMessage();
                assertTrue(m.contains("head") && m.contains(u.getClass().getSimpleName())
                        && m.contains("allowNotLazyTraining"), m);
            }
        }
    }

    @Test
    void regularizationIsRefusedByBothWrappers() {
        double[][] regs = {{1e-3, 0, 0}, {0, 1e-3, 0}, {0, 0, 1e-3}};
        String[] names = {"L1", "L2", "WeightDecay"};
        for (int i = 0; i < regs.length; i++) {
            MultiLayerNetwork net = denseWith(new Sgd(0.1), regs[i][0], regs[i][1], regs[i][2]);
            for (boolean linearized : new boolean[]{false, true}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> {
                            if (linearized) {
                                LinearizedWrapper.wrap(net);
                            } else {
                                LazyWrapper.wrap(net, 10);
                            }
                        });
                assertTrue(e.getMessage().contains(names[i]) && e.getMessage().contains("head"), e.getMessage());
            }
        }
    }

    @Test
    void plainAndMomentumGradientDescentAreAcceptedAndTheOptInAllowsTheRest() {
        for (IUpdater u : new IUpdater[]{new Sgd(0.1), new Nesterovs(0.1, 0.9), new NoOp()}) {
            LazyWrapper.wrap(denseWith(u, 0, 0, 0), 100);
            LinearizedWrapper.wrap(denseWith(u, 0, 0, 0));
        }
        MultiLayerNetwork adamL2 = denseWith(new Adam(0.01), 0, 1e-3, 0);
        MultiLayerNetwork lazy = LazyWrapper.builder().alpha(100).allowNotLazyTraining(true).wrap(adamL2);
        lazy.fit(new DataSet(TestNets.input(1, 4, 5), TestNets.input(2, 4, 2)));
        LinearizedWrapper.builder().allowNotLazyTraining(true).wrap(adamL2)
                .fit(new DataSet(TestNets.input(1, 4, 5), TestNets.input(2, 4, 2)));
        assertEquals(100.0, LazyWrapper.lazyLayer(lazy).layerConf().getAlpha(), 0.0);
    }

    @Test
    void wrappingAWrappedOrUninitialisedNetworkIsRefused() {
        MultiLayerNetwork lazy = LazyWrapper.wrap(TestNets.dense(), 10);
        for (Runnable r : new Runnable[]{() -> LazyWrapper.wrap(lazy, 10), () -> LinearizedWrapper.wrap(lazy),
                () -> LazyWrapper.wrap(LinearizedWrapper.wrap(TestNets.dense()), 3)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
            assertTrue(e.getMessage().contains("already wrapped"), e.getMessage());
        }
        MultiLayerNetwork fresh = new MultiLayerNetwork(TestNets.dense().getLayerWiseConfigurations().clone());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LazyWrapper.wrap(fresh, 10));
        assertTrue(e.getMessage().contains("init()"), e.getMessage());
    }

    /** Separable and depthwise convolutions with a bias lay the bias out first: wrapping them used to fail. */
    @Test
    void separableAndDepthwiseConvolutionsWithBiasWrapLazily() {
        MultiLayerNetwork lazy = LazyWrapper.wrap(io.github.widenet.linearized.LayerZooNets.otherConvolutions(), 10);
        INDArray x = TestNets.input(9, 3, 2, 4, 4);
        assertEquals(0.0, lazy.output(x).amaxNumber().doubleValue(), 0.0);
        lazy.fit(new DataSet(x, TestNets.input(10, 3, 2)));
        LazyLayerRuntime l = LazyWrapper.lazyLayer(lazy);
        assertTrue(l.trainable().sub(l.initial()).amaxNumber().doubleValue() > 0, "w moves");
    }

    /**
     * A network frozen by TransferLearning trains lazily (it threw "Updater for parameter w.0.b … was null"): the frozen
     * layers' parameters never move, the others do.
     */
    @Test
    void transferLearningFrozenNetworkTrainsLazilyWithFrozenLayersFixed() {
        MultiLayerNetwork net = io.github.widenet.linearized.LayerZooNets.transferLearningFrozen();
        for (MultiLayerNetwork wrapped : new MultiLayerNetwork[]{LazyWrapper.wrap(net, 10),
                LinearizedWrapper.builder().alpha(10).centred(true).wrap(net)}) {
            INDArray x = TestNets.input(11, 6, 4);
            for (int i = 0; i < 3; i++) {
                wrapped.fit(new DataSet(x, TestNets.input(12, 6, 2)));
            }
            var layer = wrapped.getLayer(0);
            for (String key : new String[]{"w.0.W", "w.0.b", "w.1.W", "w.1.b"}) {
                assertEquals(0.0, layer.getParam(key).sub(initialValue(wrapped, key)).amaxNumber().doubleValue(), 0.0,
                        key + " is frozen");
            }
            assertTrue(layer.getParam("w.2.W").sub(initialValue(wrapped, "w.2.W")).amaxNumber().doubleValue() > 0,
                    "the trainable layers move");
        }
    }

    private static INDArray initialValue(MultiLayerNetwork wrapped, String trainableKey) {
        return wrapped.getLayer(0).getParam("w0." + trainableKey.substring(2));
    }
}
