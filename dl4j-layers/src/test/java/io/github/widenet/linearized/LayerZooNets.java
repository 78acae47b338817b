package io.github.widenet.linearized;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.L2NormalizeVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.StackVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.graph.UnstackVertex;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.Upsampling1D;
import org.deeplearning4j.nn.conf.layers.ZeroPadding1DLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping1D;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.SpaceToDepthLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Small double-precision networks (identity + MSE outputs) with the layers the wrappers gained for DL4J's zoo and Keras
 * models: batch normalization, dropout, global pooling, padding/cropping/upsampling, frozen layers.
 */
public final class LayerZooNets {

    private LayerZooNets() {
    }

    static NeuralNetConfiguration.Builder base(long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.DOUBLE).updater(new Sgd(1.0));
    }

    static MultiLayerNetwork init(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        randomizeBatchNorm(net.getLayers(), 77);
        return net;
    }

    static OutputLayer regression(int nOut) {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(nOut).activation(Activation.IDENTITY).build();
    }

    /**
     * Gives every batch-normalization layer γ ≠ 1, β ≠ 0 and running statistics away from DL4J's initial (0, 1), so every
     * term of its tangent is exercised.
     */
    public static void randomizeBatchNorm(Layer[] layers, long seed) {
        Nd4j.getRandom().setSeed(seed);
        for (Layer l : layers) {
            if (!(l.conf().getLayer() instanceof BatchNormalization)) {
                continue;
            }
            INDArray gamma = l.getParam(BatchNormalizationParamInitializer.GAMMA);
            gamma.assign(Nd4j.randn(DataType.DOUBLE, gamma.shape()).muli(0.3).addi(1));
            INDArray beta = l.getParam(BatchNormalizationParamInitializer.BETA);
            beta.assign(Nd4j.randn(DataType.DOUBLE, beta.shape()).muli(0.2));
            INDArray mean = l.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN);
            mean.assign(Nd4j.randn(DataType.DOUBLE, mean.shape()).muli(0.3));
            INDArray logStd = l.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
            if (logStd != null) {
                logStd.assign(Nd4j.randn(DataType.DOUBLE, logStd.shape()).muli(0.1));
            } else {
                INDArray var = l.getParam(BatchNormalizationParamInitializer.GLOBAL_VAR);
                var.assign(Nd4j.rand(DataType.DOUBLE, var.shape()).addi(0.5));
            }
        }
    }

    /** 5 → dense 7 (identity) → BN → tanh → dense 6 (sigmoid) → BN (variance stored as is, or as log10 std) → 3. */
    public static MultiLayerNetwork denseBatchNorm(boolean useLogStd) {
        return init(base(21).list()
                .layer(new DenseLayer.Builder().nIn(5).nOut(7).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer.Builder().activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nOut(6).activation(Activation.SIGMOID).build())
                .layer(new BatchNormalization.Builder().useLogStd(useLogStd).build())
                .layer(regression(3))
                .setInputType(InputType.feedForward(5))
                .build());
    }

    /** conv 3×3 Same (3) → BN → tanh → max pool 2×2 → dense 4 (tanh) → 2, on 6×6×2 images in {@code format}. */
    public static MultiLayerNetwork convBatchNorm(CNN2DFormat format) {
        return init(base(22).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(3).convolutionMode(ConvolutionMode.Same)
                        .dataFormat(format).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().dataFormat(format).build())
                .layer(new ActivationLayer.Builder().activation(Activation.TANH).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .dataFormat(format).build())
                .layer(new DenseLayer.Builder().nOut(4).activation(Activation.TANH).build())
                .layer(regression(2))
                .setInputType(InputType.convolutional(6, 6, 2, format))
                .build());
    }

    /**
     * A Keras-import-like network: Dropout(1.0) (no dropout) on every layer and a DropoutLayer(1.0):
     * 4 → dense 6 (tanh) → DropoutLayer → dense 5 (sigmoid) → 3.
     */
    public static MultiLayerNetwork noOpDropout() {
        return init(base(23).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(6).dropOut(1.0).activation(Activation.TANH).build())
                .layer(new DropoutLayer.Builder(1.0).build())
                .layer(new DenseLayer.Builder().nOut(5).dropOut(1.0).activation(Activation.SIGMOID).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(3).dropOut(1.0)
                        .activation(Activation.IDENTITY).build())
                .setInputType(InputType.feedForward(4))
                .build());
    }

    /** {@link #noOpDropout} with active dropout: retain 0.5 on the hidden layer and 0.8 in the DropoutLayer. */
    public static MultiLayerNetwork activeDropout() {
        return init(base(23).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(6).dropOut(1.0).activation(Activation.TANH).build())
                .layer(new DropoutLayer.Builder(0.8).name("drop").build())
                .layer(new DenseLayer.Builder().nOut(5).dropOut(0.5).activation(Activation.SIGMOID).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(3).dropOut(1.0)
                        .activation(Activation.IDENTITY).build())
                .setInputType(InputType.feedForward(4))
                .build());
    }

    /** conv 3×3 Same (3, tanh) → global pooling ({@code type}, p = 3 for PNORM) → dense 4 (tanh) → 2, on 5×5×2 images. */
    public static MultiLayerNetwork globalPooling(PoolingType type) {
        return init(base(24).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(3).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.TANH).build())
                .layer(new GlobalPoolingLayer.Builder(type).pnorm(3).build())
                .layer(new DenseLayer.Builder().nOut(4).activation(Activation.TANH).build())
                .layer(regression(2))
                .setInputType(InputType.convolutional(5, 5, 2))
                .build());
    }

    /**
     * The linear reshaping layers, 5×5×2 input: conv 2×2 (3, tanh) → zero padding 1 → cropping (1, 1, 0, 0) → upsampling
     * ×2 → conv 3×3 stride 2 Same (4, tanh) → space-to-depth 2 → dense 4 (tanh) → 2.
     */
    public static MultiLayerNetwork reshapingLayers() {
        return init(base(25).list()
                .layer(new ConvolutionLayer.Builder(2, 2).nOut(3).activation(Activation.TANH).build())
                .layer(new ZeroPaddingLayer.Builder(1, 1).build())
                .layer(new Cropping2D(1, 1, 0, 0))
                .layer(new Upsampling2D.Builder(2).build())
                .layer(new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(4).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.TANH).build())
                .layer(new SpaceToDepthLayer.Builder(2, SpaceToDepthLayer.DataFormat.NCHW).build())
                .layer(new DenseLayer.Builder().nOut(4).activation(Activation.TANH).build())
                .layer(regression(2))
                .setInputType(InputType.convolutional(5, 5, 2))
                .build());
    }

    /**
     * The other convolutions, 4×4×2 input: deconvolution 2×2 stride 2 (3, tanh) → depthwise 3×3 Same (×2, sigmoid) →
     * separable 3×3 Same (3, tanh, with bias) → separable without bias (2, identity) → dense 3 (tanh) → 2.
     */
    public static MultiLayerNetwork otherConvolutions() {
        return init(base(26).list()
                .layer(new Deconvolution2D.Builder(2, 2).stride(2, 2).nOut(3).activation(Activation.TANH).build())
                .layer(new DepthwiseConvolution2D.Builder(3, 3).depthMultiplier(2).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.SIGMOID).build())
                .layer(new SeparableConvolution2D.Builder(3, 3).nOut(3).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.TANH).build())
                .layer(new SeparableConvolution2D.Builder(2, 2).nOut(2).hasBias(false).activation(Activation.IDENTITY)
                        .build())
                .layer(new DenseLayer.Builder().nOut(3).activation(Activation.TANH).build())
                .layer(regression(2))
                .setInputType(InputType.convolutional(4, 4, 2))
                .build());
    }

    /**
     * 4 → dense 6 (tanh) → FrozenLayerWithBackprop(dense 5, sigmoid) → dense 4 (tanh) → 2: a frozen layer in the middle,
     * through which the gradient (and the tangent) of layer 0 passes.
     */
    public static MultiLayerNetwork frozenWithBackprop() {
        return denseChain(27, new FrozenLayerWithBackprop(hidden()));
    }

    /** {@link #frozenWithBackprop}'s architecture with layers 0–1 frozen by TransferLearning's feature extractor. */
    public static MultiLayerNetwork transferLearningFrozen() {
        return new TransferLearning.Builder(denseChain(28, hidden())).setFeatureExtractor(1).build();
    }

    private static DenseLayer hidden() {
        return new DenseLayer.Builder().nIn(6).nOut(5).activation(Activation.SIGMOID).build();
    }

    /** 4 → dense 6 (tanh) → {@code second} (6 → 5) → dense 4 (tanh) → 2. */
    private static MultiLayerNetwork denseChain(long seed, org.deeplearning4j.nn.conf.layers.Layer second) {
        return init(base(seed).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.TANH).build())
                .layer(second)
                .layer(new DenseLayer.Builder().nIn(5).nOut(4).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .build());
    }

    /**
     * The other vertices: in → a (tanh, 6), b (sigmoid, 6); max = Max(a, b); sub = Subset(max, 1..4);
     * l2 = L2Normalize(a); st = Stack(a, b); un = Unstack(st, 1 of 2); out(merge(sub, l2, un)).
     */
    public static ComputationGraph vertices() {
        ComputationGraph g = new ComputationGraph(base(29).graphBuilder()
                .addInputs("in")
                .addLayer("a", new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.TANH).build(), "in")
                .addLayer("b", new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.SIGMOID).build(), "in")
                .addVertex("max", new ElementWiseVertex(ElementWiseVertex.Op.Max), "a", "b")
                .addVertex("sub", new SubsetVertex(1, 4), "max")
                .addVertex("l2", new L2NormalizeVertex(), "a")
                .addVertex("st", new StackVertex(), "a", "b")
                .addVertex("un", new UnstackVertex(1, 2), "st")
                .addVertex("m", new MergeVertex(), "sub", "l2", "un")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(16).nOut(3)
                        .activation(Activation.IDENTITY).build(), "m")
                .setOutputs("out")
                .build());
        g.init();
        return g;
    }

    /**
     * One-dimensional layers on sequences [batch, 2, 6]: conv1d k = 2 (3, tanh) → zero padding 1 → cropping (1, 0) →
     * upsampling ×2 → global MAX pooling over time → dense 3 (tanh) → 2.
     */
    public static MultiLayerNetwork oneDimensional() {
        return init(base(30).list()
                .layer(new Convolution1DLayer.Builder(2).nOut(3).activation(Activation.TANH).build())
                .layer(new ZeroPadding1DLayer.Builder(1).build())
                .layer(new Cropping1D.Builder(1, 0).build())
                .layer(new Upsampling1D.Builder(2).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.MAX).build())
                .layer(new DenseLayer.Builder().nOut(3).activation(Activation.TANH).build())
                .layer(regression(2))
                .setInputType(InputType.recurrent(2, 6))
                .build());
    }
}
