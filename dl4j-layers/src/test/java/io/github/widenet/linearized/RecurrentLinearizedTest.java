package io.github.widenet.linearized;

import io.github.widenet.internal.wrap.InnerGraph;
import io.github.widenet.internal.wrap.LogitsModel;
import io.github.widenet.lazy.LazyWrapper;
import io.github.widenet.internal.tangent.UnsupportedLayerException;
import io.github.widenet.testing.DoublePrecision;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.GravesBidirectionalLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tangent rules of SimpleRnn, LSTM, GravesLSTM, Bidirectional, LastTimeStep (NCW and NWC) and the embedding
 * layers, through the linearized wrapper on {@link RecurrentNets}: equal to the network at w0, J·v equal to central finite differences of DL4J's forward
 * pass (error O(ε²)), adjoint to DL4J's own backprop, gradient-checked, and the trained linearized model the limit of the
 * trained lazy one.
 */
@ExtendWith(DoublePrecision.class)
class RecurrentLinearizedTest {

    private static double maxAbs(INDArray a) {
        return a.amaxNumber().doubleValue();
    }

    private static INDArray direction(long n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.DOUBLE, n);
    }

    /** The network's output (its logits: identity + MSE heads) at the flat parameters {@code params}. */
    private static INDArray outputAt(MultiLayerNetwork net, INDArray params, INDArray x) {
        MultiLayerNetwork copy = net.clone();
        copy.setParams(params.reshape(1, params.length()));
        return copy.output(x);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.widenet.linearized.RecurrentNets#names")
    void equalsTheNetworkAtW0(String which) {
        MultiLayerNetwork net = RecurrentNets.byName(which, 1.0);
        INDArray x = RecurrentNets.input(which, 11, 5);
        INDArray expected = net.output(x);
        assertEquals(0.0, maxAbs(LinearizedWrapper.wrap(net).output(x).sub(expected)), 1e-12 * (1 + maxAbs(expected)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.widenet.linearized.RecurrentNets#names")
    void tangentMatchesCentralFiniteDifferencesToSecondOrder(String which) {
        MultiLayerNetwork net = RecurrentNets.byName(which, 1.0);
        LinearizedLayerRuntime l = LinearizedWrapper.linearizedLayer(LinearizedWrapper.wrap(net));
        INDArray w0 = l.initial().dup();
        INDArray v = direction(w0.length(), 7);
        INDArray x = RecurrentNets.input(which, 13, 5);
        l.trainable().assign(w0.add(v));
        INDArray jvp = l.tangent(x);
        double[] eps = {1e-2, 1e-3};
        double[] errors = new double[2];
        for (int k = 0; k < 2; k++) {
            INDArray plus = outputAt(net, w0.add(v.mul(eps[k])), x);
            INDArray minus = outputAt(net, w0.sub(v.mul(eps[k])), x);
            errors[k] = maxAbs(plus.sub(minus).divi(2 * eps[k]).subi(jvp));
        }
        double scale = maxAbs(jvp);
        System.out.printf("%s: |Jv| %.3g, FD error %.3g (eps 1e-2), %.3g (eps 1e-3)%n", which, scale, errors[0],
                errors[1]);
        assertTrue(errors[0] < 1e-2 * scale, which + ": error " + errors[0] + " vs |Jv| " + scale);
        double ratio = errors[0] / errors[1];
        assertTrue(ratio > 50 && ratio < 200, which + ": error ratio " + ratio + " (errors " + errors[0] + ", "
                + errors[1] + ")");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.widenet.linearized.RecurrentNets#names")
    void tangentIsAdjointToDl4jBackprop(String which) {
        MultiLayerNetwork net = RecurrentNets.byName(which, 1.0);
        LinearizedLayerRuntime l = LinearizedWrapper.linearizedLayer(LinearizedWrapper.wrap(net));
        INDArray w0 = l.initial().dup();
        INDArray v = direction(w0.length(), 9);
        INDArray x = RecurrentNets.input(which, 14, 4);
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
        System.out.printf("%s: <u, Jv> %.15g, <J^T u, v> %.15g%n", which, lhs, rhs);
        assertEquals(lhs, rhs, 1e-10 * Math.max(1, Math.abs(lhs)), which + ": <u, J v> vs <J^T u, v>");
    }

    /**
     * DL4J's gradient check of the wrapped model on 8 entries per parameter array (the backward path is the same for every
     * net: two nets suffice; adjointness checks every entry).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lstmClassifier", "embedding"})
    void gradientCheckPasses(String which) {
        MultiLayerNetwork lin = LinearizedWrapper.wrap(RecurrentNets.byName(which, 1.0));
        LinearizedLayerRuntime l = LinearizedWrapper.linearizedLayer(lin);
        l.trainable().addi(direction(l.trainable().length(), 3).muli(0.1));
        INDArray x = RecurrentNets.input(which, 15, 3);
        INDArray y = lin.output(x).add(0.5);
        Set<String> frozen = new HashSet<>();
        for (String k : l.paramTable().keySet()) {
            if (k.startsWith("w0.")) {
                frozen.add("0_" + k);
            }
        }
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(lin).input(x).labels(y)
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9).excludeParams(frozen)
                .subset(true).maxPerParam(8)), which);
    }

    /**
     * The sequence-classification head LSTM → LastTimeStep(LSTM) → OutputLayer: the lazy model α(h(w) − h(w0)) trained on
     * R/α² follows the centred linearized model trained on R by the same SGD, with a gap shrinking like 1/α.
     */
    @Test
    void trainedLazyModelApproachesTheTrainedLinearizedOne() {
        int steps = 15;
        MultiLayerNetwork net = RecurrentNets.lstmClassifier(0.2);
        INDArray x = RecurrentNets.sequences(31, 8, false);
        Nd4j.getRandom().setSeed(32);
        DataSet data = new DataSet(x, Nd4j.randn(DataType.DOUBLE, 8, 2));
        MultiLayerNetwork lin = LinearizedWrapper.builder().centred(true).wrap(net);
        INDArray[] path = new INDArray[steps];
        for (int t = 0; t < steps; t++) {
            lin.fit(data);
            path[t] = lin.output(x);
        }
        assertTrue(maxAbs(path[steps - 1].sub(path[0])) > 0.05, "the linearized model must train");
        double[] alphas = {100, 1000};
        double[] gaps = new double[alphas.length];
        for (int a = 0; a < alphas.length; a++) {
            MultiLayerNetwork lazy = LazyWrapper.wrap(net, alphas[a]);
            for (int t = 0; t < steps; t++) {
                lazy.fit(data);
                gaps[a] = Math.max(gaps[a], maxAbs(lazy.output(x).sub(path[t])));
            }
        }
        System.out.printf("lazy vs linearized, LSTM classifier: max gap %.3g (alpha 100), %.3g (alpha 1000), "
                + "outputs moved %.3g%n", gaps[0], gaps[1], maxAbs(path[steps - 1]));
        assertTrue(gaps[1] < 1e-2 * maxAbs(path[steps - 1]), "gap at alpha 1000: " + gaps[1]);
        double ratio = gaps[0] / gaps[1];
        assertTrue(ratio > 5 && ratio < 20, "gap ratio for alpha x10: " + ratio + " (gaps " + gaps[0] + ", " + gaps[1]
                + ")");
    }

    /** Recurrent settings without a rule are refused at wrap time, naming the layer, its class and the setting. */
    @Test
    void unsupportedRecurrentSettingsAreRefusedByName() {
        assertRefused(new LastTimeStep(new GravesBidirectionalLSTM.Builder().nIn(3).nOut(2).build()),
                "layer 0 'rec' (LastTimeStep) wraps GravesBidirectionalLSTM");
        assertRefused(new LastTimeStep(new Bidirectional(new GravesBidirectionalLSTM.Builder().nIn(3).nOut(2).build())),
                "layer 0 'rec' (LastTimeStep), wrapped layer (Bidirectional) wraps GravesBidirectionalLSTM");
        assertRefused(new SimpleRnn.Builder().nIn(3).nOut(2).hasLayerNorm(true).build(),
                "layer 0 'rec' (SimpleRnn) uses layer normalization");
        assertRefused(new LastTimeStep(new LSTM.Builder().nIn(3).nOut(2).gateActivationFunction(Activation.HARDSIGMOID)
                .build()), "layer 0 'rec' (LastTimeStep), wrapped layer (LSTM) (gate activation)");
    }

    private static void assertRefused(org.deeplearning4j.nn.conf.layers.Layer first, String expected) {
        first.setLayerName("rec");
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(first)
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(2).nOut(1)
                        .activation(Activation.IDENTITY).build())
                .build());
        net.init();
        UnsupportedLayerException e = assertThrows(UnsupportedLayerException.class, () -> LinearizedWrapper.wrap(net));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    /**
     * A graph reading the last step through LastTimeStepVertex ([N, 3, 4] → LSTM 3 → last step → 2): the linearized
     * model equals the graph at w0, J·v equals central finite differences to second order, and the lazy output is 0 at
     * init.
     */
    @Test
    void lastTimeStepVertexHasTheSliceAsItsTangent() {
        org.deeplearning4j.nn.graph.ComputationGraph g = new org.deeplearning4j.nn.graph.ComputationGraph(
                new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.DOUBLE)
                        .updater(new org.nd4j.linalg.learning.config.Sgd(0.1)).graphBuilder().addInputs("in")
                        .addLayer("lstm", new LSTM.Builder().nIn(3).nOut(3).build(), "in")
                        .addVertex("last", new org.deeplearning4j.nn.conf.graph.rnn.LastTimeStepVertex("in"), "lstm")
                        .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(3).nOut(2)
                                .activation(Activation.IDENTITY).build(), "last")
                        .setOutputs("out").build());
        g.init();
        INDArray x = Nd4j.rand(DataType.DOUBLE, 5, 3, 4).subi(0.5);
        INDArray expected = g.outputSingle(x);
        org.deeplearning4j.nn.graph.ComputationGraph lin = LinearizedWrapper.wrap(g);
        assertEquals(0.0, maxAbs(lin.outputSingle(x).sub(expected)), 1e-12 * (1 + maxAbs(expected)));
        LinearizedLayerRuntime l = LinearizedWrapper.linearizedLayer(lin);
        INDArray w0 = l.initial().dup();
        INDArray v = direction(w0.length(), 9);
        l.trainable().assign(w0.add(v));
        INDArray jvp = l.tangent(x);
        double[] errors = new double[2];
        double[] eps = {1e-2, 1e-3};
        for (int k = 0; k < 2; k++) {
            org.deeplearning4j.nn.graph.ComputationGraph plus = g.clone();
            plus.setParams(w0.add(v.mul(eps[k])).reshape(1, w0.length()));
            org.deeplearning4j.nn.graph.ComputationGraph minus = g.clone();
            minus.setParams(w0.sub(v.mul(eps[k])).reshape(1, w0.length()));
            errors[k] = maxAbs(plus.outputSingle(x).sub(minus.outputSingle(x)).divi(2 * eps[k]).subi(jvp));
        }
        assertTrue(errors[0] < 1e-2 * maxAbs(jvp), "error " + errors[0] + " vs |Jv| " + maxAbs(jvp));
        double ratio = errors[0] / errors[1];
        assertTrue(ratio > 50 && ratio < 200, "error ratio " + ratio);
        assertEquals(0.0, maxAbs(LazyWrapper.wrap(g, 100).outputSingle(x)), 0.0);
    }
}
