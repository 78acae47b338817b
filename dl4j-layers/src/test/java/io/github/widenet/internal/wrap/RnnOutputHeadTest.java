package io.github.widenet.internal.wrap;

import io.github.widenet.wrap.EmbeddedNetworkLayer;
import io.github.widenet.internal.tangent.UnsupportedLayerException;
import io.github.widenet.lazy.LazyWrapper;
import io.github.widenet.linearized.LinearizedLayerRuntime;
import io.github.widenet.linearized.LinearizedWrapper;
import io.github.widenet.ntk.EmpiricalNtk;
import io.github.widenet.testing.DoublePrecision;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.File;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A final RnnOutputLayer, loss(σ(W·x_t + b), y_t) per time step, in double, on SimpleRnn → RnnOutputLayer(softmax, MCXENT)
 * and LSTM → RnnOutputLayer(identity, MSE): its logits W·x_t + b are the wrapped network's output (TimeDistributed
 * dense), its activation and loss an RnnLossLayer. Lazy: 0 at initialisation, trains, gradient-checked, and close to the
 * linearized trajectory at large α (gap ∝ 1/α). Linearized: the network at w0, J·d = central finite differences,
 * gradient-checked, adjoint to the inner backprop; at w0 its score and gradient equal the network's, with a per-time-step
 * label mask too. Serialization round trip; a graph; the NTK refuses the head naming what to do; dropout, gradient
 * normalization and adaptive updaters on the RnnOutputLayer are refused naming layer 1 'out'; NWC is refused (DL4J M2.1's
 * RnnLossLayer fails on NWC). TimeDistributed(DenseLayer) inside a network (NCW, NWC) has the dense tangent.
 */
@ExtendWith(DoublePrecision.class)
class RnnOutputHeadTest {

    static final int T = 4;

    /** SimpleRnn 3 → 4 (tanh) → RnnOutputLayer(softmax, MCXENT) to 3 classes, or LSTM 3 → 4 → (identity, MSE) to 2. */
    static MultiLayerNetwork net(String which, double lr) {
        boolean softmax = which.equals("softmax");
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(11).dataType(DataType.DOUBLE)
                .updater(new Sgd(lr)).list()
                .layer(softmax ? new SimpleRnn.Builder().nIn(3).nOut(4).activation(Activation.TANH).build()
                        : new LSTM.Builder().nIn(3).nOut(4).build())
                .layer(new RnnOutputLayer.Builder(softmax ? LossFunctions.LossFunction.MCXENT
                        : LossFunctions.LossFunction.MSE).nIn(4).nOut(softmax ? 3 : 2).name("out")
                        .activation(softmax ? Activation.SOFTMAX : Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static INDArray input(long seed, int n) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.DOUBLE, n, 3, T);
    }

    /** Per-step class distributions [N, 3, T] (softmax) or regression targets [N, 2, T]. */
    static INDArray labels(String which, long seed, int n) {
        Nd4j.getRandom().setSeed(seed);
        if (which.equals("softmax")) {
            INDArray y = Nd4j.rand(DataType.DOUBLE, n, 3, T);
            return y.divi(y.sum(true, 1));
        }
        return Nd4j.randn(DataType.DOUBLE, n, 2, T);
    }

    private static double maxAbs(INDArray a) {
        return a.amaxNumber().doubleValue();
    }

    /** The wrapped network's logits (the embedding layer's output), not the loss layer's activation. */
    private static INDArray logits(MultiLayerNetwork wrapped, INDArray x) {
        return wrapped.feedForwardToLayer(0, x, false).get(1);
    }

    /** The frozen half [w0] of the wrapper's parameters, excluded from gradient checks. */
    private static Set<String> frozen(MultiLayerNetwork wrapped) {
        Set<String> s = new HashSet<>();
        for (String k : wrapped.paramTable().keySet()) {
            if (k.startsWith("0_" + EmbeddedNetworkLayer.INITIAL_PREFIX)) {
                s.add(k);
            }
        }
        return s;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"softmax", "identity"})
    void lazyIsZeroAtInitTrainsAndItsGradientChecks(String which) {
        MultiLayerNetwork net = net(which, 1.0);
        INDArray x = input(1, 5);
        INDArray y = labels(which, 2, 5);
        for (int cache : new int[]{0, 10}) {
            MultiLayerNetwork lazy = LazyWrapper.builder().alpha(10).cacheSize(cache).wrap(net);
            RnnLossLayer head = assertInstanceOf(RnnLossLayer.class,
                    lazy.getLayerWiseConfigurations().getConf(1).getLayer());
            assertEquals(which.equals("softmax") ? "softmax" : "identity",
                    head.getActivationFn().toString().toLowerCase());
            INDArray out = logits(lazy, x);
            assertEquals("[5, " + (which.equals("softmax") ? 3 : 2) + ", 4]", java.util.Arrays.toString(out.shape()));
            assertEquals(0.0, maxAbs(out), 0.0, which + ": lazy logits at initialisation, cache " + cache);
            lazy.fit(new DataSet(x, y));
            lazy.fit(new DataSet(x, y));
            INDArray w = LazyWrapper.lazyLayer(lazy).trainable();
            assertTrue(Double.isFinite(w.sumNumber().doubleValue()), which + ": finite parameters after fit");
            assertTrue(maxAbs(logits(lazy, x)) > 0, which + ": trained");
        }
        MultiLayerNetwork checked = LazyWrapper.wrap(net, 10);
        // checked at w0 + small noise (after fits, softmax probabilities near 0 would be clipped by MCXENT's score)
        Nd4j.getRandom().setSeed(6);
        LazyWrapper.lazyLayer(checked).trainable().addi(Nd4j.randn(DataType.DOUBLE,
                LazyWrapper.lazyLayer(checked).trainable().length()).muli(0.05));
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(checked).input(x).labels(y)
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9).subset(true).maxPerParam(8).excludeParams(frozen(checked))),
                which + ": lazy gradient check");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"softmax", "identity"})
    void linearizedIsTheNetworkAtW0ItsTangentTheDerivativeAndItsGradientChecks(String which) {
        MultiLayerNetwork net = net(which, 1.0);
        INDArray x = input(1, 5);
        INDArray y = labels(which, 2, 5);
        MultiLayerNetwork lin = LinearizedWrapper.wrap(net);
        INDArray expected = net.output(x);
        assertEquals(0.0, maxAbs(lin.output(x).sub(expected)), 1e-12, which + ": linearized at w0 = the network");
        LinearizedLayerRuntime l = LinearizedWrapper.linearizedLayer(lin);
        INDArray w0 = l.initial().dup();
        LogitsModel h = LogitsModel.of(net);
        double worst = 0;
        for (int seed = 2; seed < 5; seed++) {
            Nd4j.getRandom().setSeed(seed);
            INDArray d = Nd4j.randn(DataType.DOUBLE, w0.length());
            l.trainable().assign(w0.add(d));
            INDArray jvp = l.tangent(x).dup();
            double eps = 1e-6;
            INDArray plus = new InnerGraph(h.logits(), w0.add(d.mul(eps)), null).forward(x, false).dup();
            INDArray minus = new InnerGraph(h.logits(), w0.sub(d.mul(eps)), null).forward(x, false).dup();
            assertEquals(java.util.Arrays.toString(plus.shape()), java.util.Arrays.toString(jvp.shape()), "shape");
            worst = Math.max(worst, maxAbs(plus.subi(minus).divi(2 * eps).subi(jvp)) / maxAbs(jvp));
        }
        System.out.println("RnnOutputLayer " + which + ": max relative |J·d - central FD| = " + worst);
        assertTrue(worst < 1e-7, which + ": J·d vs central finite differences, relative " + worst);
        lin.fit(new DataSet(x, y));
        MultiLayerNetwork checked = LinearizedWrapper.wrap(net);
        Nd4j.getRandom().setSeed(5);
        LinearizedWrapper.linearizedLayer(checked).trainable().addi(Nd4j.randn(DataType.DOUBLE, w0.length()).muli(0.05));
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(checked).input(x).labels(y)
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9).subset(true).maxPerParam(8).excludeParams(frozen(checked))),
                which + ": linearized gradient check");
    }

    /**
     * A per-time-step label mask [N, T] reaches the wrapped network's RnnLossLayer: at w0 the linearized network's score
     * and parameter gradient equal the unwrapped network's with the same mask (and differ from the unmasked ones), and
     * the masked lazy and linearized networks pass DL4J's gradient check.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"softmax", "identity"})
    void labelMasksApplyAsInTheNetwork(String which) {
        MultiLayerNetwork net = net(which, 1.0);
        INDArray x = input(1, 5);
        INDArray y = labels(which, 2, 5);
        INDArray mask = Nd4j.ones(DataType.DOUBLE, 5, T);
        mask.putScalar(0, 3, 0.0);
        mask.putScalar(1, 0, 0.0);
        mask.putScalar(1, 1, 0.0);
        mask.putScalar(4, 2, 0.0);
        MultiLayerNetwork lin = LinearizedWrapper.wrap(net);
        double[] netScores = new double[2];
        double[] linScores = new double[2];
        for (int masked = 0; masked < 2; masked++) {
            INDArray m = masked == 1 ? mask : null;
            compute(net, x, y, m);
            compute(lin, x, y, m);
            netScores[masked] = net.score();
            linScores[masked] = lin.score();
            INDArray expected = net.gradient().gradient().reshape(-1);     // flat, in the network's parameter layout
            INDArray actual = lin.gradient().gradient().reshape(-1)
                    .get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, expected.length()));    // [w | w0]: w
            assertEquals(0.0, maxAbs(actual.sub(expected)), 1e-12 * (1 + maxAbs(expected)),
                    which + ", mask " + masked + ": gradient");
        }
        assertEquals(netScores[1], linScores[1], 1e-12 * Math.abs(netScores[1]), which + ": masked score");
        assertEquals(netScores[0], linScores[0], 1e-12 * Math.abs(netScores[0]), which + ": unmasked score");
        assertTrue(Math.abs(netScores[1] - netScores[0]) > 1e-6, which + ": the mask changes the score");
        MultiLayerNetwork lazy = LazyWrapper.wrap(net, 10);
        Nd4j.getRandom().setSeed(8);
        LazyWrapper.lazyLayer(lazy).trainable().addi(Nd4j.randn(DataType.DOUBLE,
                LazyWrapper.lazyLayer(lazy).trainable().length()).muli(0.05));
        for (MultiLayerNetwork checked : new MultiLayerNetwork[]{lazy, LinearizedWrapper.wrap(net)}) {
            assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(checked).input(x)
                    .labels(y).labelMask(mask).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9).subset(true).maxPerParam(8)
                    .excludeParams(frozen(checked))), which + ": gradient check with a label mask");
        }
        lazy.fit(new DataSet(x, y, null, mask));
        assertTrue(maxAbs(logits(lazy, x)) > 0);
    }

    private static void compute(MultiLayerNetwork net, INDArray x, INDArray y, INDArray labelMask) {
        net.setInput(x);
        net.setLabels(y);
        net.setLayerMaskArrays(null, labelMask);
        net.computeGradientAndScore();
        net.clearLayerMaskArrays();
    }

    /**
     * Lazy training of α(h(w) − h(w0)) on R/α² follows the centred linearized model trained on R by the same SGD, with a
     * gap shrinking like 1/α (MSE head; the logits compared).
     */
    @Test
    void lazyTrajectoryApproachesTheLinearizedOneAtLargeAlpha() {
        int steps = 8;
        MultiLayerNetwork net = net("identity", 0.3);
        INDArray x = input(31, 6);
        DataSet data = new DataSet(x, labels("identity", 32, 6));
        MultiLayerNetwork lin = LinearizedWrapper.builder().centred(true).wrap(net);
        INDArray[] path = new INDArray[steps];
        for (int t = 0; t < steps; t++) {
            lin.fit(data);
            path[t] = logits(lin, x);
        }
        assertTrue(maxAbs(path[steps - 1]) > 0.05, "the linearized model must train: " + maxAbs(path[steps - 1]));
        double[] alphas = {100, 1000};
        double[] gaps = new double[alphas.length];
        for (int a = 0; a < alphas.length; a++) {
            MultiLayerNetwork lazy = LazyWrapper.wrap(net, alphas[a]);
            for (int t = 0; t < steps; t++) {
                lazy.fit(data);
                gaps[a] = Math.max(gaps[a], maxAbs(logits(lazy, x).sub(path[t])));
            }
        }
        System.out.printf("lazy vs linearized, LSTM + RnnOutputLayer: max gap %.3g (alpha 100), %.3g (alpha 1000), "
                + "outputs moved %.3g%n", gaps[0], gaps[1], maxAbs(path[steps - 1]));
        assertTrue(gaps[1] < 1e-2 * maxAbs(path[steps - 1]), "gap at alpha 1000: " + gaps[1]);
        double ratio = gaps[0] / gaps[1];
        assertTrue(ratio > 5 && ratio < 20, "gap ratio for alpha x10: " + ratio);
    }

    @Test
    void serializationRoundTripKeepsTheHead(@TempDir File dir) throws Exception {
        MultiLayerNetwork net = net("softmax", 0.5);
        INDArray x = input(1, 3);
        DataSet data = new DataSet(x, labels("softmax", 2, 3));
        MultiLayerNetwork[] wrapped = {LazyWrapper.wrap(net, 10), LinearizedWrapper.wrap(net)};
        for (int i = 0; i < wrapped.length; i++) {
            wrapped[i].fit(data);
            File f = new File(dir, "rnn-out-" + i + ".zip");
            ModelSerializer.writeModel(wrapped[i], f, true);
            MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(f, true);
            assertInstanceOf(RnnLossLayer.class, restored.getLayerWiseConfigurations().getConf(1).getLayer());
            assertEquals(wrapped[i].output(x), restored.output(x));
            wrapped[i].fit(data);
            restored.fit(data);
            assertEquals(0.0, maxAbs(wrapped[i].params().sub(restored.params())), 1e-12, "training goes on alike");
        }
    }

    @Test
    void graphWithAnRnnOutputLayerIsWrapped() {
        MultiLayerNetwork mln = net("softmax", 0.5);
        ComputationGraph g = mln.toComputationGraph();
        INDArray x = input(1, 3);
        ComputationGraph lazy = LazyWrapper.wrap(g, 10);
        assertEquals(0.0, maxAbs(lazy.feedForward(x, false).get(WrappedNetworks.LAYER)), 0.0);
        lazy.fit(new DataSet(x, labels("softmax", 2, 3)));
        ComputationGraph lin = LinearizedWrapper.wrap(g);
        assertEquals(0.0, maxAbs(lin.outputSingle(x).sub(mln.output(x))), 1e-12, "linearized at w0 = the network");
    }

    @Test
    void ntkRefusesTheHeadNamingWhatToDo() {
        Exception e = assertThrows(IllegalArgumentException.class, () -> EmpiricalNtk.of(net("identity", 0.5), 2));
        assertEquals("the final RnnOutputLayer is a per-position loss (logits of rank 3, per time step): the empirical "
                + "NTK is computed for [batch, K] logits only; end the network with LastTimeStep + OutputLayer for one "
                + "prediction per example, or use LazyWrapper / LinearizedWrapper, which support this head",
                e.getMessage());
    }

    /** Settings the wrappers cannot honour on the RnnOutputLayer are refused naming the user's layer index and name. */
    @Test
    void unsupportedSettingsNameTheLayer() {
        MultiLayerNetwork dropout = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.DOUBLE).updater(new Sgd(0.1)).list()
                .layer(new SimpleRnn.Builder().nIn(3).nOut(4).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2).name("out")
                        .dropOut(0.5).activation(Activation.IDENTITY).build())
                .build());
        dropout.init();
        Exception e = assertThrows(UnsupportedLayerException.class, () -> LazyWrapper.wrap(dropout, 10));
        assertTrue(e.getMessage().startsWith("layer 1 'out' (TimeDistributed) uses dropout Dropout(p = 0.5)"),
                e.getMessage());
        MultiLayerNetwork ignored = LinearizedWrapper.builder().ignoreDropout(true).wrap(dropout);
        INDArray x = input(1, 3);
        assertEquals(0.0, maxAbs(ignored.output(x).sub(dropout.output(x))), 1e-12, "dropout ignored: the network");
        MultiLayerNetwork clipped = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.DOUBLE).updater(new Sgd(0.1)).list()
                .layer(new SimpleRnn.Builder().nIn(3).nOut(4).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2).name("out")
                        .gradientNormalization(org.deeplearning4j.nn.conf.GradientNormalization
                                .ClipElementWiseAbsoluteValue).activation(Activation.IDENTITY).build())
                .build());
        clipped.init();
        e = assertThrows(IllegalArgumentException.class, () -> LazyWrapper.wrap(clipped, 10));
        assertTrue(e.getMessage().startsWith("layer 1 'out' (DenseLayer) uses gradient normalization"), e.getMessage());
        MultiLayerNetwork adam = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.DOUBLE).updater(new Sgd(0.1)).list()
                .layer(new SimpleRnn.Builder().nIn(3).nOut(4).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2).name("out")
                        .updater(new org.nd4j.linalg.learning.config.Adam()).activation(Activation.IDENTITY).build())
                .build());
        adam.init();
        e = assertThrows(IllegalArgumentException.class, () -> LinearizedWrapper.wrap(adam));
        assertTrue(e.getMessage().startsWith("layer 1 'out' (TimeDistributed), parameter '")
                && e.getMessage().contains("uses the updater Adam"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"softmax", "identity"})
    void tangentIsAdjointToTheInnerBackprop(String which) {
        MultiLayerNetwork net = net(which, 1.0);
        MultiLayerNetwork lin = LinearizedWrapper.wrap(net);
        LinearizedLayerRuntime l = LinearizedWrapper.linearizedLayer(lin);
        INDArray w0 = l.initial().dup();
        Nd4j.getRandom().setSeed(9);
        INDArray v = Nd4j.randn(DataType.DOUBLE, w0.length());
        INDArray x = input(14, 4);
        l.trainable().assign(w0.add(v));
        INDArray jvp = l.tangent(x);
        INDArray grad = Nd4j.zeros(DataType.DOUBLE, w0.length());
        InnerGraph g = new InnerGraph(LogitsModel.of(net).logits(), w0.dup(), grad);
        INDArray out = g.forward(x, true);
        Nd4j.getRandom().setSeed(21);
        INDArray u = Nd4j.randn(DataType.DOUBLE, out.shape());
        g.backward(u);
        double lhs = u.mul(jvp).sumNumber().doubleValue();
        double rhs = grad.mul(v).sumNumber().doubleValue();
        assertEquals(lhs, rhs, 1e-10 * Math.max(1, Math.abs(lhs)), which + ": <u, J v> vs <J^T u, v>");
    }

    /** NWC: DL4J M2.1's RnnLossLayer fails on NWC sequences, so an NWC RnnOutputLayer is refused naming the layer. */
    @Test
    void nwcIsRefusedNamingTheLayer() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(11)
                .dataType(DataType.DOUBLE).updater(new Sgd(1.0)).list()
                .layer(new SimpleRnn.Builder().nIn(3).nOut(4).dataFormat(RNNFormat.NWC).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2).name("out")
                        .dataFormat(RNNFormat.NWC).activation(Activation.IDENTITY).build()).build());
        net.init();
        Exception e = assertThrows(IllegalArgumentException.class, () -> LazyWrapper.wrap(net, 10));
        assertTrue(e.getMessage().startsWith("the final layer 1 'out' (RnnOutputLayer) uses the NWC data format")
                && e.getMessage().contains("NCW"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LinearizedWrapper.wrap(net));
    }

    /**
     * TimeDistributed(DenseLayer) inside a network (SimpleRnn → TimeDistributed(dense, tanh) → LastTimeStep(SimpleRnn) →
     * OutputLayer), NCW and NWC: the linearized model is the network at w0 and J·d equals central finite differences of
     * DL4J's forward pass to second order.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"NCW", "NWC"})
    void timeDistributedDenseInsideANetworkHasTheDenseTangent(String format) {
        RNNFormat f = RNNFormat.valueOf(format);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(12)
                .dataType(DataType.DOUBLE).updater(new Sgd(1.0)).list()
                .layer(new SimpleRnn.Builder().nIn(3).nOut(4).dataFormat(f).build())
                .layer(new org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed(new org.deeplearning4j.nn.conf
                        .layers.DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.TANH).build(), f))
                .layer(new org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep(new SimpleRnn.Builder().nIn(5)
                        .nOut(3).dataFormat(f).build()))
                .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(3)
                        .nOut(2).activation(Activation.IDENTITY).build())
                .build());
        net.init();
        Nd4j.getRandom().setSeed(13);
        INDArray x = f == RNNFormat.NWC ? Nd4j.randn(DataType.DOUBLE, 4, T, 3) : Nd4j.randn(DataType.DOUBLE, 4, 3, T);
        MultiLayerNetwork lin = LinearizedWrapper.wrap(net);
        assertEquals(0.0, maxAbs(lin.output(x).sub(net.output(x))), 1e-12, format + ": linearized at w0 = the network");
        LinearizedLayerRuntime l = LinearizedWrapper.linearizedLayer(lin);
        INDArray w0 = l.initial().dup();
        Nd4j.getRandom().setSeed(14);
        INDArray v = Nd4j.randn(DataType.DOUBLE, w0.length());
        l.trainable().assign(w0.add(v));
        INDArray jvp = l.tangent(x);
        double[] eps = {1e-2, 1e-3};
        double[] errors = new double[2];
        for (int k = 0; k < 2; k++) {
            MultiLayerNetwork plus = net.clone();
            plus.setParams(w0.add(v.mul(eps[k])).reshape(1, w0.length()));
            MultiLayerNetwork minus = net.clone();
            minus.setParams(w0.sub(v.mul(eps[k])).reshape(1, w0.length()));
            errors[k] = maxAbs(plus.output(x).sub(minus.output(x)).divi(2 * eps[k]).subi(jvp));
        }
        assertTrue(errors[0] < 1e-2 * maxAbs(jvp), format + ": error " + errors[0] + " vs |Jv| " + maxAbs(jvp));
        double ratio = errors[0] / errors[1];
        assertTrue(ratio > 50 && ratio < 200, format + ": error ratio " + ratio);
    }
}
