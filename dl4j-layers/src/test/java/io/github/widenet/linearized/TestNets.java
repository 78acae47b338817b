package io.github.widenet.linearized;

import io.github.widenet.layers.MeanFieldLayer;
import io.github.widenet.layers.FastConvolutionLayer;
import io.github.widenet.layers.FastSubsamplingLayer;
import io.github.widenet.layers.NtkConvolutionLayer;
import io.github.widenet.layers.NtkDenseLayer;
import io.github.widenet.layers.NtkLayer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Small double-precision networks whose outputs are their logits (identity + MSE), for the wrapper tests. */
public final class TestNets {

    private TestNets() {
    }

    private static NeuralNetConfiguration.Builder base(long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.DOUBLE).updater(new Sgd(1.0));
    }

    private static MultiLayerNetwork init(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static OutputLayer regression(int nOut) {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(nOut).activation(Activation.IDENTITY).build();
    }

    /** 5 → 7 (tanh) → 6 (softplus) → 3. */
    public static MultiLayerNetwork dense() {
        return dense(new Sgd(1.0));
    }

    public static MultiLayerNetwork dense(org.nd4j.linalg.learning.config.IUpdater updater) {
        return init(base(1).updater(updater).list()
                .layer(new DenseLayer.Builder().nIn(5).nOut(7).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nOut(6).activation(Activation.SOFTPLUS).build())
                .layer(regression(3))
                .setInputType(InputType.feedForward(5))
                .build());
    }

    /** conv(3x3, same) → relu → maxpool 2x2 → conv(2x2, truncate, stride 2, pad 1) tanh → avgpool → dense(relu) → 4. */
    public static MultiLayerNetwork conv() {
        return init(base(2).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.IDENTITY).build())
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(2, 2).stride(2, 2).padding(1, 1).nOut(3)
                        .convolutionMode(ConvolutionMode.Truncate).activation(Activation.TANH).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG).kernelSize(2, 2).stride(1, 1)
                        .build())
                .layer(new DenseLayer.Builder().nOut(5).activation(Activation.ELU).build())
                .layer(regression(4))
                .setInputType(InputType.convolutional(8, 8, 2))
                .build());
    }

    /**
     * Convolution and pooling variants (NCHW, 8×7×2 input): Same-mode stride-2 conv without bias (padding 0/1 in height,
     * 1/1 in width) →
     * Strict-mode dilated conv with padding (tanh, so padded cells would win a max if read as 0) → overlapping,
     * padded max pooling (3×3, stride 2, pad 1) →
     * overlapping Same-mode max pooling (2×2, stride 1) → inactive DropoutLayer → dense softmax (a hidden softmax) → 3.
     */
    public static MultiLayerNetwork convVariants() {
        return init(base(6).list()
                .layer(new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(3).hasBias(false)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.TANH).build())
                .layer(new ConvolutionLayer.Builder(2, 2).dilation(2, 2).padding(1, 1).nOut(4)
                        .convolutionMode(ConvolutionMode.Strict).activation(Activation.TANH).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(3, 3).stride(2, 2)
                        .padding(1, 1).convolutionMode(ConvolutionMode.Truncate).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(1, 1)
                        .convolutionMode(ConvolutionMode.Same).build())
                .layer(new DropoutLayer.Builder().build())
                .layer(new DenseLayer.Builder().nOut(5).activation(Activation.SOFTMAX).build())
                .layer(regression(3))
                .setInputType(InputType.convolutional(8, 7, 2))
                .build());
    }

    /** Channels-last (NHWC, 7×7×2 input): conv 3×3 (tanh) → overlapping max pool 3×3 stride 2 → avg pool 2×2 → 2. */
    public static MultiLayerNetwork convNhwc() {
        return init(base(7).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).dataFormat(CNN2DFormat.NHWC)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.TANH).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(3, 3).stride(2, 2)
                        .dataFormat(CNN2DFormat.NHWC).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG).kernelSize(2, 2).stride(1, 1)
                        .dataFormat(CNN2DFormat.NHWC).build())
                .layer(regression(2))
                .setInputType(InputType.convolutional(7, 7, 2, CNN2DFormat.NHWC))
                .build());
    }

    /** VGG-like block of the project's fast layers: conv 3×3 same (relu) → fast max pool 2×2 → conv 2×2 stride 2
     * (identity, no bias) → dense(tanh) → 3. */
    public static MultiLayerNetwork fastConv() {
        return fastConv(CNN2DFormat.NCHW);
    }

    /** {@link #fastConv} channels-last (NHWC, 8×8×2 input). */
    public static MultiLayerNetwork fastConvNhwc() {
        return fastConv(CNN2DFormat.NHWC);
    }

    private static MultiLayerNetwork fastConv(CNN2DFormat format) {
        return init(base(8).list()
                .layer(new FastConvolutionLayer.Builder(3, 3).nOut(4).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU).dataFormat(format).build())
                .layer(new FastSubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .dataFormat(format).build())
                .layer(new FastConvolutionLayer.Builder(2, 2).stride(2, 2).nOut(3).hasBias(false)
                        .activation(Activation.IDENTITY).dataFormat(format).build())
                .layer(new DenseLayer.Builder().nOut(5).activation(Activation.TANH).build())
                .layer(regression(3))
                .setInputType(InputType.convolutional(8, 8, 2, format))
                .build());
    }

    /** The project's own layers: NTK conv (sigmoid) → NTK dense (leaky relu) → mean-field block (tanh) → NTK block
     * (softplus) → 2. */
    public static MultiLayerNetwork project() {
        return init(base(3).list()
                .layer(new NtkConvolutionLayer.Builder(3, 3).sigmaW(1.3).sigmaB(0.2).nOut(3)
                        .activation(Activation.SIGMOID).build())
                .layer(new NtkDenseLayer.Builder().nOut(6).sigmaW(1.4).activation(Activation.LEAKYRELU).build())
                .layer(MeanFieldLayer.builder().units(9).nOut(4).biasStd(0.5).activation(Activation.TANH).build())
                .layer(NtkLayer.builder().units(7).nOut(3).biasStd(0.3).activation(Activation.SOFTPLUS).build())
                .layer(regression(2))
                .setInputType(InputType.convolutional(5, 5, 2))
                .build());
    }

    /** A graph with a residual add and a merge: in → a(tanh), b(sigmoid); c = a + b; out(merge(c, a)). */
    public static ComputationGraph graph() {
        ComputationGraph g = new ComputationGraph(base(4).graphBuilder()
                .addInputs("in")
                .addLayer("a", new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.TANH).build(), "in")
                .addLayer("b", new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.SIGMOID).build(), "in")
                .addVertex("c", new ElementWiseVertex(ElementWiseVertex.Op.Product), "a", "b")
                .addVertex("m", new MergeVertex(), "c", "a")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(10).nOut(3)
                        .activation(Activation.IDENTITY).build(), "m")
                .setOutputs("out")
                .build());
        g.init();
        return g;
    }

    /**
     * The linear vertices: in → a (tanh), b (sigmoid); add = a + b, sub = a − b, avg = mean(a, b, add), sc = 0.7·sub;
     * out(merge(avg, sc)).
     */
    public static ComputationGraph vertices() {
        ComputationGraph g = new ComputationGraph(base(8).graphBuilder()
                .addInputs("in")
                .addLayer("a", new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.TANH).build(), "in")
                .addLayer("b", new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.SIGMOID).build(), "in")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "a", "b")
                .addVertex("sub", new ElementWiseVertex(ElementWiseVertex.Op.Subtract), "a", "b")
                .addVertex("avg", new ElementWiseVertex(ElementWiseVertex.Op.Average), "a", "b", "add")
                .addVertex("sc", new ScaleVertex(0.7), "sub")
                .addVertex("m", new MergeVertex(), "avg", "sc")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(10).nOut(3)
                        .activation(Activation.IDENTITY).build(), "m")
                .setOutputs("out")
                .build());
        g.init();
        return g;
    }

    /**
     * Feed-forward input 12 → NTK dense without bias (18, tanh) → FeedForwardToCnn (3×3×2) → conv 2×2 Same (tanh) →
     * padded average pooling 3×3 stride 1 pad 1 (padding not counted in the divisor) → padded average pooling 2×2 stride 1
     * pad 1 (padding counted) → dense (softplus) → 2.
     */
    public static MultiLayerNetwork reshapeAndPaddedAveragePooling() {
        return init(base(9).list()
                .layer(new NtkDenseLayer.Builder().nIn(12).nOut(18).hasBias(false).sigmaW(1.2)
                        .activation(Activation.TANH).build())
                .layer(new ConvolutionLayer.Builder(2, 2).nIn(2).nOut(3).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.TANH).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG).kernelSize(3, 3).stride(1, 1)
                        .padding(1, 1).convolutionMode(ConvolutionMode.Truncate).avgPoolIncludePadInDivisor(false)
                        .build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG).kernelSize(2, 2).stride(1, 1)
                        .padding(1, 1).convolutionMode(ConvolutionMode.Truncate).avgPoolIncludePadInDivisor(true)
                        .build())
                .layer(new DenseLayer.Builder().nIn(3 * 4 * 4).nOut(5).activation(Activation.SOFTPLUS).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(5).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .inputPreProcessor(1, new FeedForwardToCnnPreProcessor(3, 3, 2))
                .inputPreProcessor(4, new CnnToFeedForwardPreProcessor(4, 4, 3))
                .build());
    }

    /** Channels-last branches merged along the channel axis (3): conv 3×3 (tanh, 3) and conv 1×1 (sigmoid, 2) → 2. */
    public static ComputationGraph nhwcMerge() {
        ComputationGraph g = new ComputationGraph(base(10).graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(5, 5, 2, CNN2DFormat.NHWC))
                .addLayer("c1", new ConvolutionLayer.Builder(3, 3).nOut(3).dataFormat(CNN2DFormat.NHWC)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.TANH).build(), "in")
                .addLayer("c2", new ConvolutionLayer.Builder(1, 1).nOut(2).dataFormat(CNN2DFormat.NHWC)
                        .activation(Activation.SIGMOID).build(), "in")
                .addVertex("m", new MergeVertex(), "c1", "c2")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2)
                        .activation(Activation.IDENTITY).build(), "m")
                .setOutputs("out")
                .build());
        g.init();
        return g;
    }

    /** A softmax classifier ending in a LossLayer: 4 → 6 (tanh) → dense 3 → LossLayer(softmax, MCXENT). */
    public static MultiLayerNetwork classifierWithLossLayer() {
        return init(base(5).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nOut(3).activation(Activation.IDENTITY).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(4))
                .build());
    }

    /** Standard-normal input of the given shape (seeded). */
    public static INDArray input(long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.DOUBLE, shape);
    }
}
