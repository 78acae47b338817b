package io.github.widenet.lazy;

import io.github.widenet.linearized.LinearizedWrapper;
import io.github.widenet.linearized.TestNets;
import io.github.widenet.loss.ScaledLoss;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import io.github.widenet.testing.DoublePrecision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import io.github.widenet.layers.BatchNormMode;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;

import java.io.File;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lazy model α·(h(w) − h(w0)) with loss/α²: centred at init, trainable, cached, saved, and converging to the
 * linearized trajectory like 1/α (Chizat–Oyallon–Bach's theorem, measured). */
@ExtendWith(DoublePrecision.class)
class LazyWrapperTest {


    /** The lazy layer's output (the model output before the loss's activation). */
    private static INDArray lazyOutput(MultiLayerNetwork lazy, INDArray x) {
        return lazy.feedForwardToLayer(0, x, false).get(1);
    }

    @ParameterizedTest(name = "alpha={0}")
    @ValueSource(doubles = {1, 10, 1e4})
    void outputIsZeroAtInitialisation(double alpha) {
        MultiLayerNetwork net = TestNets.classifierWithLossLayer();
        MultiLayerNetwork lazy = LazyWrapper.wrap(net, alpha);
        INDArray x = TestNets.input(1, 7, 4);
        assertEquals(0.0, lazyOutput(lazy, x).amaxNumber().doubleValue(), 0.0);
        // softmax of zero logits
        assertEquals(Nd4j.valueArrayOf(new long[]{7, 3}, 1.0 / 3, DataType.DOUBLE), lazy.output(x));
        var loss = ((LossLayer) lazy.getLayerWiseConfigurations().getConf(1).getLayer()).getLossFn();
        if (alpha == 1) {
            assertInstanceOf(org.nd4j.linalg.lossfunctions.impl.LossMCXENT.class, loss);
        } else {
            assertEquals(1 / (alpha * alpha), ((ScaledLoss) loss).getFactor(), 1e-15 / (alpha * alpha));
        }
    }

    @Test
    void alphaOneIsTheCentredNetworkAndTrainsLikeIt() {
        MultiLayerNetwork net = TestNets.dense(new Sgd(0.1));
        MultiLayerNetwork lazy = LazyWrapper.wrap(net.clone(), 1);
        INDArray x = TestNets.input(2, 8, 5);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 8, 3);
        INDArray h0 = net.output(x);
        // training the centred model on targets y is training h on targets y + h(w0): same gradients, same steps
        for (int i = 0; i < 5; i++) {
            net.fit(new DataSet(x, y.add(h0)));
            lazy.fit(new DataSet(x, y));
        }
        assertEquals(0.0, net.output(x).sub(h0).sub(lazy.output(x)).amaxNumber().doubleValue(), 1e-12);
    }

    /**
     * Per-layer updaters (Adam, SGD, Nesterov), L2 and weight decay, and BatchNormalization in TRAINING mode all survive
     * wrapping: at α = 1 the lazy model trains exactly like the network itself (DL4J training mode) on targets shifted by
     * h(w0, x) — every parameter but BatchNormalization's running statistics, which the wrapped model does not use and
     * keeps at w0.
     */
    @Test
    void perLayerUpdatersRegularizationAndBatchNormSurviveWrapping() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(9)
                .dataType(DataType.DOUBLE).list()
                .layer(new DenseLayer.Builder().nIn(5).nOut(6).activation(Activation.TANH)
                        .updater(new Adam(0.01)).l2(1e-3).build())
                .layer(new BatchNormalization.Builder().updater(new Sgd(0.05)).build())
                .layer(new DenseLayer.Builder().nOut(4).activation(Activation.SIGMOID)
                        .updater(new Sgd(0.1)).weightDecay(1e-2).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(3).activation(Activation.IDENTITY)
                        .updater(new Nesterovs(0.05, 0.9)).build())
                .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.feedForward(5))
                .build());
        net.init();
        MultiLayerNetwork lazy = LazyWrapper.builder().alpha(1).allowNotLazyTraining(true)
                .batchNormMode(BatchNormMode.TRAINING).wrap(net.clone());
        INDArray x = TestNets.input(2, 8, 5);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 8, 3);
        INDArray h0 = net.output(x, true);                   // minibatch statistics, as the lazy layer's h(w0, x)
        INDArray stats0 = net.getLayer(1).getParam("mean").dup();
        for (int i = 0; i < 6; i++) {
            net.fit(new DataSet(x, y.add(h0)));
            lazy.fit(new DataSet(x, y));
        }
        LazyLayerRuntime l = LazyWrapper.lazyLayer(lazy);
        INDArray expected = net.params().dup().reshape(l.trainable().length());
        long offset = 0;
        for (var e : net.paramTable().entrySet()) {            // MultiLayerNetwork order = the flat order
            long n = e.getValue().length();
            if (e.getKey().endsWith("_mean") || e.getKey().endsWith("_log10stdev")) {
                var range = org.nd4j.linalg.indexing.NDArrayIndex.interval(offset, offset + n);
                expected.get(range).assign(l.initial().get(range));
            }
            offset += n;
        }
        assertEquals(0.0, l.trainable().sub(expected).amaxNumber().doubleValue(), 1e-12);
        assertTrue(net.getLayer(1).getParam("mean").sub(stats0).amaxNumber().doubleValue() > 1e-6,
                "DL4J's own training moves the running mean");
        assertEquals(0.0, net.output(x, true).sub(h0).sub(lazy.output(x)).amaxNumber().doubleValue(), 1e-12);
    }

    /** The BatchNormalization variants survive saving and restoring, mode included. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(BatchNormMode.class)
    void batchNormModeSurvivesSaveAndRestore(BatchNormMode mode, @TempDir File dir) throws Exception {
        MultiLayerNetwork lazy = LazyWrapper.builder().alpha(10).batchNormMode(mode)
                .wrap(io.github.widenet.linearized.LayerZooNets.denseBatchNorm(true));
        INDArray x = TestNets.input(3, 6, 5);
        lazy.fit(new DataSet(x, TestNets.input(4, 6, 3)));
        File f = new File(dir, "lazy-bn.zip");
        ModelSerializer.writeModel(lazy, f, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(f, true);
        assertEquals(lazy.output(x), restored.output(x));
        assertEquals(lazy.output(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 3))),
                restored.output(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 3))));
    }

    /** Active dropout: refused naming the fix, or the identity in every pass with ignoreDropout(true) (output 0 at init). */
    @Test
    void activeDropoutIsRefusedOrIgnoredOnRequest() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> LazyWrapper.wrap(io.github.widenet.linearized.LayerZooNets.activeDropout(), 100));
        assertTrue(e.getMessage().contains("LazyWrapper.builder().ignoreDropout(true)"), e.getMessage());
        MultiLayerNetwork lazy = LazyWrapper.builder().alpha(100).ignoreDropout(true)
                .wrap(io.github.widenet.linearized.LayerZooNets.activeDropout());
        INDArray x = TestNets.input(8, 6, 4);
        assertEquals(0.0, lazy.feedForwardToLayer(0, x, true).get(1).amaxNumber().doubleValue(), 0.0);
        MultiLayerNetwork keras = LazyWrapper.wrap(io.github.widenet.linearized.LayerZooNets.noOpDropout(), 100);
        assertEquals(0.0, keras.feedForwardToLayer(0, x, true).get(1).amaxNumber().doubleValue(), 0.0);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> LazyWrapper.wrap((MultiLayerNetwork) null, 10));
    }

    /**
     * BatchNormalization in either mode: h(w) and h(w0) are computed alike, so the lazy output at α = 100 is exactly 0 at
     * initialisation in training and inference passes, and one SGD step moves w by O(1/α) (it moved 0.85–1.34 when
     * h(w0) was computed in inference mode and h(w) in training mode).
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(BatchNormMode.class)
    void batchNormLazyOutputIsZeroAtInitialisationAndStepsAreSmall(BatchNormMode mode) {
        MultiLayerNetwork net = io.github.widenet.linearized.LayerZooNets.convBatchNorm(
                org.deeplearning4j.nn.conf.CNN2DFormat.NCHW);
        MultiLayerNetwork lazy = LazyWrapper.builder().alpha(100).batchNormMode(mode).wrap(net);
        INDArray x = TestNets.input(4, 8, 2, 6, 6);
        assertEquals(0.0, lazy.feedForwardToLayer(0, x, true).get(1).amaxNumber().doubleValue(), 0.0);
        assertEquals(0.0, lazyOutput(lazy, x).amaxNumber().doubleValue(), 0.0);
        LazyLayerRuntime l = LazyWrapper.lazyLayer(lazy);
        lazy.fit(new DataSet(x, TestNets.input(5, 8, 2)));
        double moved = l.trainable().sub(l.initial()).amaxNumber().doubleValue();
        assertTrue(moved > 0 && moved < 0.02, mode + ": one step at alpha 100 moved w by " + moved);
        assertEquals(mode == BatchNormMode.TRAINING ? 0 : LazyWrapper.defaultCacheSize(2), l.layerConf().getCacheSize(),
                "minibatch statistics make h(w0, x) depend on the whole batch: no per-example cache");
    }

    /** With Adam, L2 and weight decay the frozen half w0 still gets an exactly zero gradient and never moves. */
    @Test
    void frozenHalfGetsAZeroGradientUnderAnyUpdaterAndRegularization() {
        for (boolean linearized : new boolean[]{false, true}) {
            MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(10)
                    .dataType(DataType.DOUBLE).updater(new Adam(0.05)).l2(1e-2).weightDecay(1e-2).list()
                    .layer(new DenseLayer.Builder().nIn(5).nOut(6).activation(Activation.TANH).build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2)
                            .activation(Activation.IDENTITY).build())
                    .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.feedForward(5))
                    .build());
            net.init();
            MultiLayerNetwork wrapped = linearized ? LinearizedWrapper.builder().allowNotLazyTraining(true).wrap(net)
                    : LazyWrapper.builder().alpha(10).allowNotLazyTraining(true).wrap(net);
            io.github.widenet.internal.wrap.EmbeddedNetworkRuntime<?> l =
                    (io.github.widenet.internal.wrap.EmbeddedNetworkRuntime<?>) wrapped.getLayer(0);
            INDArray w0 = l.initial().dup();
            DataSet d = new DataSet(TestNets.input(11, 7, 5), Nd4j.rand(DataType.DOUBLE, 7, 2));
            for (int i = 0; i < 5; i++) {
                wrapped.fit(d);
                INDArray grad = wrapped.gradient().gradient();
                long n = w0.length();
                INDArray frozenGrad = grad.reshape(grad.length()).get(org.nd4j.linalg.indexing.NDArrayIndex
                        .interval(n, 2 * n));
                assertEquals(0.0, frozenGrad.amaxNumber().doubleValue(), 0.0, "gradient of w0");
            }
            assertEquals(w0, l.initial(), (linearized ? "linearized" : "lazy") + ": w0 must not move");
            assertTrue(l.trainable().sub(w0).amaxNumber().doubleValue() > 1e-3);
        }
    }

    @Test
    void frozenInitialParametersNeverMove() {
        MultiLayerNetwork lazy = LazyWrapper.wrap(TestNets.dense(new Sgd(0.5)), 10);
        LazyLayerRuntime l = LazyWrapper.lazyLayer(lazy);
        INDArray w0 = l.initial().dup();
        INDArray w = l.trainable().dup();
        DataSet d = new DataSet(TestNets.input(3, 6, 5), Nd4j.rand(DataType.DOUBLE, 6, 3));
        for (int i = 0; i < 10; i++) {
            lazy.fit(d);
        }
        assertEquals(w0, l.initial());
        assertTrue(l.trainable().sub(w).amaxNumber().doubleValue() > 0);
    }

    @Test
    void cachedInitialOutputsEqualRecomputedOnes() {
        MultiLayerNetwork net = TestNets.dense(new Sgd(0.1));
        MultiLayerNetwork cached = LazyWrapper.wrap(net, 7);
        MultiLayerNetwork uncached = LazyWrapper.wrap(net, 7, 0);
        INDArray a = TestNets.input(4, 6, 5);
        INDArray b = TestNets.input(5, 6, 5);
        INDArray mixed = Nd4j.vstack(a.getRows(0, 1, 2), b.getRows(0, 1, 2));
        for (INDArray x : new INDArray[]{a, b, mixed, a}) {
            DataSet d = new DataSet(x, Nd4j.rand(DataType.DOUBLE, 6, 3));
            cached.fit(d);
            uncached.fit(d);
            assertEquals(uncached.output(x), cached.output(x));
        }
        long[] stats = LazyWrapper.lazyLayer(cached).cacheStatistics();
        assertTrue(stats[0] > 0 && stats[1] == 12, "hits " + stats[0] + ", misses " + stats[1]);

        // w0 changed in place through a view: the cache must be cleared by hand, then agrees again
        LazyWrapper.lazyLayer(cached).initial().addi(0.01);
        LazyWrapper.lazyLayer(uncached).initial().addi(0.01);
        LazyWrapper.lazyLayer(cached).clearCache();
        assertEquals(uncached.output(a), cached.output(a));
        assertEquals(LazyWrapper.defaultCacheSize(3), LazyWrapper.lazyLayer(LazyWrapper.wrap(net, 2)).layerConf()
                .getCacheSize());
        assertTrue(LazyWrapper.defaultCacheSize(1000) * (8 * 1000L) <= LazyWrapper.DEFAULT_CACHE_BYTES);
    }

    @Test
    void networksWithoutALossAreRejectedByName() {
        MultiLayerNetwork noLoss = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(4).build())
                .layer(new DenseLayer.Builder().nIn(4).nOut(2).name("last").build())
                .build());
        noLoss.init();
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> LazyWrapper.wrap(noLoss, 10));
        assertTrue(e.getMessage().contains("DenseLayer") && e.getMessage().contains("no loss"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> LazyWrapper.wrap(TestNets.dense(), 0));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> LazyWrapper.wrap(TestNets.dense(), Double.NaN));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dense", "conv"})
    void gradientCheckPasses(String which) {
        MultiLayerNetwork lazy = LazyWrapper.wrap(which.equals("dense") ? TestNets.dense() : TestNets.conv(), 3.0);
        LazyLayerRuntime l = LazyWrapper.lazyLayer(lazy);
        Nd4j.getRandom().setSeed(6);
        l.trainable().addi(Nd4j.randn(DataType.DOUBLE, l.trainable().length()).muli(0.05));
        INDArray x = which.equals("dense") ? TestNets.input(7, 4, 5) : TestNets.input(7, 3, 2, 8, 8);
        INDArray labels = Nd4j.rand(DataType.DOUBLE, x.size(0), which.equals("dense") ? 3 : 4);
        Set<String> frozen = new HashSet<>();
        for (String k : l.paramTable().keySet()) {
            if (k.startsWith("w0.")) {
                frozen.add("0_" + k);
            }
        }
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(lazy).input(x)
                .labels(labels).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                .excludeParams(frozen)));
    }

    @Test
    void worksWithIteratorsEvaluationListenersAndGraphs(@TempDir File dir) throws Exception {
        MultiLayerNetwork net = TestNets.classifierWithLossLayer();
        MultiLayerNetwork lazy = LazyWrapper.wrap(net, 10);
        INDArray x = TestNets.input(8, 30, 4);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 30, 3);
        for (int i = 0; i < 30; i++) {
            y.putScalar(i, x.getDouble(i, 0) > 0 ? 0 : x.getDouble(i, 1) > 0 ? 1 : 2, 1.0);
        }
        DataSetIterator it = new ListDataSetIterator<>(new DataSet(x, y).asList(), 10);
        int[] iterations = {0};
        lazy.setListeners(new org.deeplearning4j.optimize.api.BaseTrainingListener() {
            @Override
            public void iterationDone(org.deeplearning4j.nn.api.Model model, int iteration, int epoch) {
                iterations[0]++;
            }
        });
        lazy.fit(it, 3);
        assertEquals(9, iterations[0]);
        Evaluation eval = lazy.evaluate(it);
        assertTrue(eval.accuracy() >= 0 && eval.accuracy() <= 1);

        File f = new File(dir, "lazy.zip");
        ModelSerializer.writeModel(lazy, f, true);
        MultiLayerNetwork back = ModelSerializer.restoreMultiLayerNetwork(f, true);
        assertEquals(lazy.output(x), back.output(x));
        assertEquals(lazy.getLayerWiseConfigurations(),
                MultiLayerConfiguration.fromJson(lazy.getLayerWiseConfigurations().toJson()));
        back.fit(it);
        lazy.fit(it);
        assertEquals(lazy.params(), back.params(), "a restored lazy model trains identically");

        ComputationGraph g = LazyWrapper.wrap(TestNets.graph(), 5);
        INDArray xg = TestNets.input(9, 5, 4);
        assertEquals(0.0, g.outputSingle(xg).amaxNumber().doubleValue(), 0.0);
        g.fit(new DataSet(xg, Nd4j.rand(DataType.DOUBLE, 5, 3)));
        File fg = new File(dir, "lazy-graph.zip");
        ModelSerializer.writeModel(g, fg, true);
        assertEquals(g.outputSingle(xg), ModelSerializer.restoreComputationGraph(fg, true).outputSingle(xg));
        assertInstanceOf(LazyLayerRuntime.class, LazyWrapper.lazyLayer(g));
    }

    /**
     * Chizat–Oyallon–Bach: train α(h(w) − h(w0)) on R/α² and the centred linearized model J(w − w0) on R, both by the
     * same SGD; the linearized output trajectory does not depend on α, and the lazy one approaches it like 1/α.
     */
    @Test
    void lazyTrajectoryApproachesTheLinearizedOneLikeOneOverAlpha() {
        int steps = 60;
        double eta = 0.02;
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(42)
                .dataType(DataType.DOUBLE).updater(new Sgd(eta)).list()
                .layer(new DenseLayer.Builder().nIn(5).nOut(50).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(50).nOut(1)
                        .activation(Activation.IDENTITY).build())
                .build());
        net.init();
        INDArray x = TestNets.input(10, 20, 5);
        INDArray y = Nd4j.math().sin(x.getColumn(0).mul(2)).reshape(20, 1);
        DataSet data = new DataSet(x, y);

        MultiLayerNetwork lin = LinearizedWrapper.builder().centred(true).wrap(net);
        INDArray[] linPath = new INDArray[steps];
        for (int t = 0; t < steps; t++) {
            lin.fit(data);
            linPath[t] = lin.output(x);
        }
        assertTrue(linPath[steps - 1].sub(linPath[0]).amaxNumber().doubleValue() > 0.1, "the model must train");

        double[] alphas = {10, 100, 1000, 10000};
        double[] gaps = new double[alphas.length];
        for (int a = 0; a < alphas.length; a++) {
            MultiLayerNetwork lazy = LazyWrapper.wrap(net, alphas[a]);
            for (int t = 0; t < steps; t++) {
                lazy.fit(data);
                gaps[a] = Math.max(gaps[a], lazy.output(x).sub(linPath[t]).amaxNumber().doubleValue());
            }
        }
        for (int a = 1; a < alphas.length; a++) {
            assertTrue(gaps[a] < gaps[a - 1], "gap must shrink: " + java.util.Arrays.toString(gaps));
        }
        // least-squares slope of log(gap) against log(alpha)
        double mx = 0, my = 0;
        for (int a = 0; a < alphas.length; a++) {
            mx += Math.log(alphas[a]) / alphas.length;
            my += Math.log(gaps[a]) / alphas.length;
        }
        double sxy = 0, sxx = 0;
        for (int a = 0; a < alphas.length; a++) {
            sxy += (Math.log(alphas[a]) - mx) * (Math.log(gaps[a]) - my);
            sxx += (Math.log(alphas[a]) - mx) * (Math.log(alphas[a]) - mx);
        }
        double slope = sxy / sxx;
        assertTrue(slope > -1.3 && slope < -0.7, "log-log slope " + slope + ", gaps " + java.util.Arrays.toString(gaps));
        assertArrayEquals(new long[]{20, 1}, linPath[0].shape());
    }
}
