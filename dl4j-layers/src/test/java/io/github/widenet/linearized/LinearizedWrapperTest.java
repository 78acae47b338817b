package io.github.widenet.linearized;

import io.github.widenet.internal.tangent.UnsupportedLayerException;
import io.github.widenet.internal.wrap.InnerGraph;
import io.github.widenet.internal.wrap.LogitsModel;
import io.github.widenet.layers.BatchNormMode;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GravesBidirectionalLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import io.github.widenet.testing.DoublePrecision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.File;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The linearized model h̄(w) = h(w0) + J(w0)(w − w0): equal to the network at w0, exactly affine in w − w0, its tangent
 * equal to central finite differences of the real network (error O(ε²)), adjoint to DL4J's own backprop, gradient-checked,
 * and saved/restored exactly — for dense, convolutional, project-layer and graph networks.
 */
@ExtendWith(DoublePrecision.class)
class LinearizedWrapperTest {


    /**
     * A network factory, its input shape, and the larger finite-difference step: networks with relu or max pooling use
     * small steps so that no kink or argmax switch is crossed (the tangent is exact only away from them).
     */
    record Case(String name, Supplier<Model> net, long[] inputShape, double fdStep, BatchNormMode mode) {
        Case(String name, Supplier<Model> net, long[] inputShape, double fdStep) {
            this(name, net, inputShape, fdStep, BatchNormMode.INFERENCE);
        }

        /** Whether the reference network computes in DL4J's training mode (batch statistics). */
        boolean training() {
            return mode == BatchNormMode.TRAINING;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(new Case("dense", TestNets::dense, new long[]{6, 5}, 1e-2)),
                Arguments.of(new Case("conv-relu-maxpool-avgpool", TestNets::conv, new long[]{3, 2, 8, 8}, 1e-4)),
                Arguments.of(new Case("conv variants, overlapping max pools", TestNets::convVariants,
                        new long[]{3, 2, 8, 7}, 1e-3)),
                Arguments.of(new Case("NHWC conv-maxpool-avgpool", TestNets::convNhwc, new long[]{3, 7, 7, 2}, 1e-3)),
                Arguments.of(new Case("fast conv-relu-maxpool-conv", TestNets::fastConv, new long[]{3, 2, 8, 8}, 1e-4)),
                Arguments.of(new Case("NHWC fast conv-relu-maxpool-conv", TestNets::fastConvNhwc,
                        new long[]{3, 8, 8, 2}, 1e-4)),
                Arguments.of(new Case("ntk+mean-field layers", TestNets::project, new long[]{4, 2, 5, 5}, 1e-2)),
                Arguments.of(new Case("graph with product and merge", TestNets::graph, new long[]{5, 4}, 1e-2)),
                Arguments.of(new Case("graph with add, subtract, average, scale", TestNets::vertices,
                        new long[]{5, 4}, 1e-2)),
                Arguments.of(new Case("NTK dense without bias, FF-to-CNN, padded average pools",
                        TestNets::reshapeAndPaddedAveragePooling, new long[]{4, 12}, 1e-2)),
                Arguments.of(new Case("NHWC merge on the channel axis", TestNets::nhwcMerge, new long[]{3, 5, 5, 2},
                        1e-2)),
                Arguments.of(new Case("Keras-style Dropout(1.0) everywhere", LayerZooNets::noOpDropout,
                        new long[]{6, 4}, 1e-2)),
                Arguments.of(new Case("global AVG pooling", () -> LayerZooNets.globalPooling(PoolingType.AVG),
                        new long[]{3, 2, 5, 5}, 1e-2)),
                Arguments.of(new Case("global SUM pooling", () -> LayerZooNets.globalPooling(PoolingType.SUM),
                        new long[]{3, 2, 5, 5}, 1e-3)),
                Arguments.of(new Case("global MAX pooling", () -> LayerZooNets.globalPooling(PoolingType.MAX),
                        new long[]{3, 2, 5, 5}, 1e-4)),
                Arguments.of(new Case("global PNORM pooling", () -> LayerZooNets.globalPooling(PoolingType.PNORM),
                        new long[]{3, 2, 5, 5}, 1e-2)),
                Arguments.of(new Case("padding, cropping, upsampling, space-to-depth", LayerZooNets::reshapingLayers,
                        new long[]{3, 2, 5, 5}, 1e-2)),
                Arguments.of(new Case("conv1d, padding, cropping, upsampling 1-D, global max over time",
                        LayerZooNets::oneDimensional, new long[]{3, 2, 6}, 1e-4)),
                Arguments.of(new Case("deconvolution, depthwise, separable", LayerZooNets::otherConvolutions,
                        new long[]{3, 2, 4, 4}, 1e-2)),
                Arguments.of(new Case("FrozenLayerWithBackprop in the middle", LayerZooNets::frozenWithBackprop,
                        new long[]{5, 4}, 1e-2)),
                Arguments.of(new Case("TransferLearning feature extractor (FrozenLayer)",
                        LayerZooNets::transferLearningFrozen, new long[]{5, 4}, 1e-2)),
                Arguments.of(new Case("graph with max, subset, L2-normalize, stack, unstack", LayerZooNets::vertices,
                        new long[]{5, 4}, 1e-4)),
                Arguments.of(new Case("dense BatchNorm, inference", () -> LayerZooNets.denseBatchNorm(true),
                        new long[]{6, 5}, 1e-2)),
                Arguments.of(new Case("dense BatchNorm (variance), training", () -> LayerZooNets.denseBatchNorm(false),
                        new long[]{6, 5}, 1e-2, BatchNormMode.TRAINING)),
                Arguments.of(new Case("dense BatchNorm (log std), training", () -> LayerZooNets.denseBatchNorm(true),
                        new long[]{6, 5}, 1e-2, BatchNormMode.TRAINING)),
                Arguments.of(new Case("conv BatchNorm, inference", () -> LayerZooNets.convBatchNorm(CNN2DFormat.NCHW),
                        new long[]{3, 2, 6, 6}, 1e-4)),
                Arguments.of(new Case("conv BatchNorm, training", () -> LayerZooNets.convBatchNorm(CNN2DFormat.NCHW),
                        new long[]{3, 2, 6, 6}, 1e-4, BatchNormMode.TRAINING)),
                Arguments.of(new Case("NHWC conv BatchNorm, training", () -> LayerZooNets.convBatchNorm(CNN2DFormat.NHWC),
                        new long[]{3, 6, 6, 2}, 1e-4, BatchNormMode.TRAINING)));
    }

    private static Model linearize(Case c, Model net) {
        LinearizedWrapper.Builder b = LinearizedWrapper.builder().batchNormMode(c.mode());
        return net instanceof MultiLayerNetwork ? b.wrap((MultiLayerNetwork) net) : b.wrap((ComputationGraph) net);
    }

    private static INDArray output(Model net, INDArray x) {
        return output(net, x, false);
    }

    /** The network's output in DL4J's training ({@code train}) or inference mode. */
    private static INDArray output(Model net, INDArray x, boolean train) {
        return net instanceof MultiLayerNetwork ? ((MultiLayerNetwork) net).output(x, train)
                : ((ComputationGraph) net).output(train, x)[0];
    }

    private static LinearizedLayerRuntime layer(Model wrapped) {
        return LinearizedWrapper.linearizedLayer(wrapped);
    }

    private static INDArray randomDelta(long n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.DOUBLE, n);
    }

    private static double maxAbs(INDArray a) {
        return a.amaxNumber().doubleValue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void equalsTheNetworkAtW0(Case c) {
        Model net = c.net().get();
        Model lin = linearize(c, net);
        INDArray x = TestNets.input(11, c.inputShape());
        INDArray expected = output(net, x, c.training());
        assertEquals(0.0, maxAbs(output(lin, x).sub(expected)), 1e-12 * (1 + maxAbs(expected)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isExactlyAffineInTheParameterChange(Case c) {
        Model lin = linearize(c, c.net().get());
        LinearizedLayerRuntime l = layer(lin);
        INDArray w0 = l.initial().dup();
        INDArray delta = randomDelta(w0.length(), 5).muli(0.3);
        INDArray x = TestNets.input(12, c.inputShape());
        INDArray at0 = output(lin, x);
        l.trainable().assign(w0.add(delta));
        INDArray at1 = output(lin, x);
        l.trainable().assign(w0.add(delta.mul(2)));
        INDArray at2 = output(lin, x);
        INDArray lhs = at2.sub(at0);
        INDArray rhs = at1.sub(at0).muli(2);
        assertTrue(maxAbs(lhs) > 1e-3, "the perturbation must change the output");
        assertEquals(0.0, maxAbs(lhs.sub(rhs)), 1e-12 * maxAbs(lhs));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void tangentMatchesCentralFiniteDifferencesToSecondOrder(Case c) {
        Model net = c.net().get();
        LinearizedLayerRuntime l = layer(linearize(c, net));
        INDArray w0 = l.initial().dup();
        INDArray delta = withoutConstants(l, randomDelta(w0.length(), 7));
        INDArray x = TestNets.input(13, c.inputShape());
        l.trainable().assign(w0.add(delta));
        INDArray jvp = l.tangent(x);
        double[] errors = new double[2];
        double[] eps = {c.fdStep(), c.fdStep() / 10};
        for (int k = 0; k < 2; k++) {
            INDArray plus = logits(net, w0.add(delta.mul(eps[k])), x, c.training());
            INDArray minus = logits(net, w0.sub(delta.mul(eps[k])), x, c.training());
            errors[k] = maxAbs(plus.sub(minus).divi(2 * eps[k]).subi(jvp));
        }
        double scale = maxAbs(jvp);
        assertTrue(errors[0] < 1e-2 * scale, c + ": error at eps=" + eps[0] + " " + errors[0] + " vs |Jd| " + scale);
        // O(eps²): a tenfold smaller step gives a ~hundredfold smaller error
        double ratio = errors[0] / errors[1];
        assertTrue(ratio > 50 && ratio < 200, c + ": error ratio " + ratio + " (errors " + errors[0] + ", "
                + errors[1] + ")");
    }

    /**
     * The direction with zeros on the parameters that are constants of the model: frozen layers' parameters, and
     * BatchNormalization's running statistics (constants in INFERENCE mode — the network's inference output depends on
     * them, its linearization does not — and unused in TRAINING mode).
     */
    static INDArray withoutConstants(LinearizedLayerRuntime l, INDArray delta) {
        var layout = io.github.widenet.internal.wrap.ParamLayout.of(l.layerConf());
        var vertices = l.layerConf().network().getVertices();
        for (int i = 0; i < layout.keys().size(); i++) {
            String key = layout.keys().get(i);
            String param = io.github.widenet.internal.wrap.ParamLayout.paramOf(key);
            var v = vertices.get(io.github.widenet.internal.wrap.ParamLayout.vertexOf(key));
            boolean frozen = v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex
                    && ((org.deeplearning4j.nn.conf.graph.LayerVertex) v).getLayerConf().getLayer().getClass()
                    .getSimpleName().startsWith("Frozen");
            if (frozen || param.equals("mean") || param.equals("var") || param.equals("log10stdev")) {
                delta.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(layout.offset(i),
                        layout.offset(i) + layout.length(i))).assign(0);
            }
        }
        return delta;
    }

    /** The network's logits at the given flat parameters (the test nets end in identity + MSE). */
    private static INDArray logits(Model net, INDArray params, INDArray x, boolean train) {
        Model copy;
        if (net instanceof MultiLayerNetwork) {
            copy = ((MultiLayerNetwork) net).clone();
        } else {   // ComputationGraph.clone() loses NHWC merge axes (DL4J M2.1): copy the configuration properly
            copy = new ComputationGraph(io.github.widenet.internal.wrap.GraphConfigs.copy(((ComputationGraph) net).getConfiguration()));
            ((ComputationGraph) copy).init();
        }
        copy.setParams(params.reshape(1, params.length()));
        return output(copy, x, train);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void tangentIsAdjointToDl4jBackprop(Case c) {
        Model net = c.net().get();
        LinearizedLayerRuntime l = layer(linearize(c, net));
        INDArray w0 = l.initial().dup();
        INDArray delta = randomDelta(w0.length(), 9);
        INDArray x = TestNets.input(14, c.inputShape());
        l.trainable().assign(w0.add(delta));
        INDArray jvp = l.tangent(x);

        // Jᵀu from DL4J's own backprop through the network at w0 (its layers' backpropGradient)
        LogitsModel h = (net instanceof MultiLayerNetwork ? LogitsModel.of((MultiLayerNetwork) net)
                : LogitsModel.of((ComputationGraph) net)).withBatchNorm(c.mode(), v -> v);
        INDArray grad = Nd4j.zeros(DataType.DOUBLE, w0.length());
        InnerGraph g = new InnerGraph(h.logits(), w0.dup(), grad);
        INDArray out = g.forward(x, true);
        Nd4j.getRandom().setSeed(21);
        INDArray u = Nd4j.randn(DataType.DOUBLE, out.shape());
        g.backward(u);
        double lhs = u.mul(jvp).sumNumber().doubleValue();
        double rhs = grad.mul(delta).sumNumber().doubleValue();
        assertEquals(lhs, rhs, 1e-10 * Math.max(1, Math.abs(lhs)), c + ": <u, J d> vs <J^T u, d>");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientCheckPasses(Case c) {
        Model lin = linearize(c, c.net().get());
        LinearizedLayerRuntime l = layer(lin);
        // check away from w = w0 so every term of the linear model contributes
        l.trainable().addi(randomDelta(l.trainable().length(), 3).muli(0.1));
        INDArray x = TestNets.input(15, c.inputShape());
        INDArray y = output(lin, x).add(0.5);
        Set<String> frozen = new HashSet<>();
        for (String k : l.paramTable().keySet()) {
            if (k.startsWith("w0.")) {
                frozen.add((lin instanceof MultiLayerNetwork ? "0_" : "wrapped_") + k);
            }
        }
        boolean ok = lin instanceof MultiLayerNetwork
                ? GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net((MultiLayerNetwork) lin)
                .input(x).labels(y).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9).excludeParams(frozen))
                : GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net((ComputationGraph) lin)
                .inputs(new INDArray[]{x}).labels(new INDArray[]{y}).epsilon(1e-6).maxRelError(1e-5)
                .minAbsoluteError(1e-9).excludeParams(frozen));
        assertTrue(ok, c.toString());
    }

    @Test
    void trainingMovesOnlyWAndKeepsW0Frozen() {
        MultiLayerNetwork lin = LinearizedWrapper.wrap(TestNets.dense(new org.nd4j.linalg.learning.config.Sgd(0.05)));
        LinearizedLayerRuntime l = layer(lin);
        INDArray w0 = l.initial().dup();
        INDArray w = l.trainable().dup();
        INDArray x = TestNets.input(16, 6, 5);
        DataSet d = new DataSet(x, Nd4j.rand(DataType.DOUBLE, 6, 3));
        double first = 0;
        for (int i = 0; i < 20; i++) {
            lin.fit(d);
            first = i == 0 ? lin.score() : first;
        }
        assertEquals(w0, l.initial(), "w0 must not change");
        assertTrue(maxAbs(l.trainable().sub(w)) > 1e-3, "w must change");
        assertTrue(lin.score() < first, "loss decreases: " + first + " -> " + lin.score());
    }

    @Test
    void worksWithIteratorsEvaluationAndListeners() {
        MultiLayerNetwork net = TestNets.classifierWithLossLayer();
        MultiLayerNetwork lin = LinearizedWrapper.wrap(net);
        INDArray x = TestNets.input(19, 30, 4);
        assertEquals(0.0, lin.output(x).sub(net.output(x)).amaxNumber().doubleValue(), 1e-14,
                "softmax probabilities of the linearized classifier at w0");
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 30, 3);
        for (int i = 0; i < 30; i++) {
            y.putScalar(i, x.getDouble(i, 0) > 0 ? 0 : x.getDouble(i, 1) > 0 ? 1 : 2, 1.0);
        }
        DataSetIterator it = new ListDataSetIterator<>(new DataSet(x, y).asList(), 10);
        int[] iterations = {0};
        lin.setListeners(new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                iterations[0]++;
            }
        });
        Evaluation before = lin.evaluate(it);
        lin.fit(it, 20);
        assertEquals(60, iterations[0]);
        Evaluation after = lin.evaluate(it);
        assertEquals(30, after.getNumRowCounter(), 0.0);
        assertTrue(after.accuracy() > before.accuracy(), "training the linearized classifier helps: "
                + before.accuracy() + " -> " + after.accuracy());
        // outputs are probabilities (the LossLayer's softmax on the linearized logits)
        assertEquals(0.0, lin.output(x).sum(1).subi(1.0).amaxNumber().doubleValue(), 1e-12);
    }

    @Test
    void saveRestoreAndJsonRoundTrip(@TempDir File dir) throws Exception {
        MultiLayerNetwork lin = LinearizedWrapper.builder().centred(true).alpha(3).wrap(TestNets.conv());
        INDArray x = TestNets.input(17, 3, 2, 8, 8);
        lin.fit(new DataSet(x, Nd4j.rand(DataType.DOUBLE, 3, 4)));
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(lin.getLayerWiseConfigurations().toJson());
        assertEquals(lin.getLayerWiseConfigurations(), back);
        File f = new File(dir, "lin.zip");
        ModelSerializer.writeModel(lin, f, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(f, true);
        assertEquals(lin.output(x), restored.output(x));
        LinearizedLayer conf = (LinearizedLayer) restored.getLayerWiseConfigurations().getConf(0).getLayer();
        assertTrue(conf.isCentred());
        assertEquals(3.0, conf.getAlpha());

        ComputationGraph g = LinearizedWrapper.wrap(TestNets.graph());
        File fg = new File(dir, "lin-graph.zip");
        ModelSerializer.writeModel(g, fg, true);
        INDArray xg = TestNets.input(18, 5, 4);
        assertEquals(g.outputSingle(xg), ModelSerializer.restoreComputationGraph(fg, true).outputSingle(xg));
    }

    /**
     * Active dropout is refused by name with the fix; with ignoreDropout(true) the network is wrapped as at inference:
     * the same model as without dropout (output and tangent), in training passes too.
     */
    @Test
    void activeDropoutIsRefusedOrIgnoredOnRequest() {
        UnsupportedLayerException e = assertThrows(UnsupportedLayerException.class,
                () -> LinearizedWrapper.wrap(LayerZooNets.activeDropout()));
        assertTrue(e.getMessage().startsWith("layer 1 'drop' (DropoutLayer) uses dropout")
                && e.getMessage().contains("LinearizedWrapper.builder().ignoreDropout(true)"), e.getMessage());
        MultiLayerNetwork net = LayerZooNets.activeDropout();
        MultiLayerNetwork lin = LinearizedWrapper.builder().ignoreDropout(true).wrap(net);
        MultiLayerNetwork plain = LinearizedWrapper.wrap(LayerZooNets.noOpDropout());
        INDArray x = TestNets.input(31, 6, 4);
        assertEquals(net.output(x), lin.output(x), "at w0: the network at inference");
        INDArray delta = randomDelta(layer(lin).trainable().length(), 32);
        layer(lin).trainable().addi(delta);
        layer(plain).trainable().addi(delta);
        assertEquals(layer(plain).tangent(x), layer(lin).tangent(x));
        assertEquals(plain.feedForwardToLayer(0, x, true).get(1), lin.feedForwardToLayer(0, x, true).get(1),
                "no dropout in training passes either");
    }

    @Test
    void wrappingNullSaysSo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LinearizedWrapper.wrap((MultiLayerNetwork) null));
        assertTrue(e.getMessage().contains("network to wrap (argument 'net') is null"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LinearizedWrapper.wrap((ComputationGraph) null));
    }

    @Test
    void theSupportedListIsPublicAndQuotedByTheRefusal() {
        String list = LinearizedWrapper.supportedLayers();
        assertTrue(list.contains("DenseLayer") && list.contains("ConvolutionLayer"), list);
        MultiLayerNetwork up = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(4).build())
                .layer(new org.deeplearning4j.nn.conf.layers.PReLULayer.Builder().inputShape(4).name("up").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(1).activation(Activation.IDENTITY).build())
                .setInputType(InputType.feedForward(3)).build());
        up.init();
        UnsupportedLayerException e = assertThrows(UnsupportedLayerException.class, () -> LinearizedWrapper.wrap(up));
        assertTrue(e.getMessage().contains("'up'") && e.getMessage().contains(list), e.getMessage());
    }

    @Test
    void unsupportedLayersAreRejectedAtWrapTimeByName() {
        MultiLayerNetwork bn = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(4).build())
                .layer(new BatchNormalization.Builder().lockGammaBeta(true).name("bn").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(1).activation(Activation.IDENTITY).build())
                .setInputType(InputType.feedForward(3)).build());
        bn.init();
        UnsupportedLayerException e = assertThrows(UnsupportedLayerException.class, () -> LinearizedWrapper.wrap(bn));
        assertTrue(e.getMessage().contains("layer 1 'bn' (BatchNormalization)")
                && e.getMessage().contains("lockGammaBeta(false)"), e.getMessage());

        MultiLayerNetwork pnorm = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(2).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.PNORM).pnorm(2).name("pool")
                        .kernelSize(2, 2).stride(2, 2).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(1).activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(9, 9, 1)).build());
        pnorm.init();
        e = assertThrows(UnsupportedLayerException.class, () -> LinearizedWrapper.wrap(pnorm));
        assertTrue(e.getMessage().contains("PNORM") && e.getMessage().contains("layer 1 'pool' (SubsamplingLayer)"),
                e.getMessage());

        MultiLayerNetwork lstmDense = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new GravesBidirectionalLSTM.Builder().nIn(3).nOut(4).name("rec").build())
                .layer(new LastTimeStep(new LSTM.Builder().nIn(4).nOut(4).build()))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(1)
                        .activation(Activation.IDENTITY).build())
                .build());
        lstmDense.init();
        e = assertThrows(UnsupportedLayerException.class, () -> LinearizedWrapper.wrap(lstmDense));
        assertTrue(e.getMessage().contains("layer 0 'rec' (GravesBidirectionalLSTM)")
                && !e.getMessage().contains("LSTM) (Graves"), "the class is named once: " + e.getMessage());

        MultiLayerNetwork activeDropoutLayer = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(4).build())
                .layer(new DropoutLayer.Builder(0.5).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(1).activation(Activation.IDENTITY).build())
                .setInputType(InputType.feedForward(3)).build());
        activeDropoutLayer.init();
        e = assertThrows(UnsupportedLayerException.class, () -> LinearizedWrapper.wrap(activeDropoutLayer));
        assertTrue(e.getMessage().contains("DropoutLayer") && e.getMessage().contains("dropout"), e.getMessage());

        MultiLayerNetwork negativeSlope = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(4).activation(new ActivationLReLU(-0.5)).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(1).activation(Activation.IDENTITY).build())
                .setInputType(InputType.feedForward(3)).build());
        negativeSlope.init();
        e = assertThrows(UnsupportedLayerException.class, () -> LinearizedWrapper.wrap(negativeSlope));
        assertTrue(e.getMessage().contains("layer 0 (DenseLayer)") && e.getMessage().contains("leakyrelu(a=-0.5)"),
                e.getMessage());

        MultiLayerNetwork dropout = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(4).dropOut(0.5).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(1).activation(Activation.IDENTITY).build())
                .setInputType(InputType.feedForward(3)).build());
        dropout.init();
        e = assertThrows(UnsupportedLayerException.class, () -> LinearizedWrapper.wrap(dropout));
        assertTrue(e.getMessage().contains("dropout"), e.getMessage());
    }
}
