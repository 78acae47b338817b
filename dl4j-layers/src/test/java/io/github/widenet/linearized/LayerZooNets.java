package io.github.widenet.linearized;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
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
}
