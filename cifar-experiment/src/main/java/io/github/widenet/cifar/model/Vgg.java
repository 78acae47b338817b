package io.github.widenet.cifar.model;

import io.github.widenet.layers.FastConvolutionLayer;
import io.github.widenet.layers.FastSubsamplingLayer;
import io.github.widenet.layers.NtkConvolutionLayer;
import io.github.widenet.layers.NtkDenseLayer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Arrays;
import java.util.Locale;

/**
 * VGG-style convolutional classifiers for 32×32×3 images, as in Chizat–Oyallon–Bach's CIFAR-10 experiment: 3×3
 * convolutions (same padding) with ReLU, 2×2 max-pooling at each "M", no batch normalisation, then one linear
 * classifier with softmax cross-entropy. VGG-11 is (64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512, M); every width
 * is divided by {@code widthDivisor} (1 = full width). In NTK parameterization the layers are
 * {@link NtkConvolutionLayer}/{@link NtkDenseLayer} with σ_w = √2 (ReLU) and σ_w = 1 for the classifier; otherwise
 * {@link FastConvolutionLayer} (DL4J's convolution with a faster training step) with He (ReLU) initialisation. Max
 * pooling is {@link FastSubsamplingLayer} in both.
 */
public final class Vgg {

    /** VGG-11's feature extractor; -1 marks a 2×2 max-pooling. */
    public static final int[] VGG11 = {64, -1, 128, -1, 256, 256, -1, 512, 512, -1, 512, 512, -1};

    private Vgg() {
    }

    /** Builder-style options for {@link #configuration}. */
    public record Spec(int[] layers, int widthDivisor, boolean ntk, int numClasses, long seed, DataType dataType) {
        public Spec {
            if (widthDivisor < 1) {
                throw new IllegalArgumentException("widthDivisor must be >= 1, got " + widthDivisor);
            }
            for (int c : layers) {
                if (c != -1 && c / widthDivisor < 1) {
                    throw new IllegalArgumentException("widthDivisor " + widthDivisor + " leaves a layer of " + c
                            + " channels with no channels");
                }
            }
            if (numClasses < 2) {
                throw new IllegalArgumentException("numClasses must be >= 2, got " + numClasses);
            }
        }

        /** VGG-11 with the given width divisor, 10 classes, float32. */
        public static Spec vgg11(int widthDivisor, boolean ntk, long seed) {
            return new Spec(VGG11, widthDivisor, ntk, 10, seed, DataType.FLOAT);
        }

        public Spec withDataType(DataType type) {
            return new Spec(layers, widthDivisor, ntk, numClasses, seed, type);
        }

        /** e.g. "VGG-11/4 (NTK)". */
        public String describe() {
            String name = Arrays.equals(layers, VGG11) ? "VGG-11" : "VGG" + Arrays.toString(layers);
            return name + (widthDivisor == 1 ? "" : "/" + widthDivisor) + (ntk ? " (NTK parameterization)" : "");
        }
    }

    /** The network configuration; the updater is a placeholder (SGD) that experiments replace. */
    public static MultiLayerConfiguration configuration(Spec spec) {
        return configuration(spec, new Sgd(0.01));
    }

    public static MultiLayerConfiguration configuration(Spec spec, IUpdater updater) {
        return configuration(spec, updater, CNN2DFormat.NCHW);
    }

    /**
     * As {@link #configuration(Spec, IUpdater)}, with the activations in {@code format}: NHWC inputs are [N, 32, 32, 3]
     * and the fast layers then run oneDNN's NHWC kernels without reordering activations.
     */
    public static MultiLayerConfiguration configuration(Spec spec, IUpdater updater, CNN2DFormat format) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(spec.seed())
                .dataType(spec.dataType())
                .updater(updater)
                .weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Same)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .list();
        int index = 0;
        for (int c : spec.layers()) {
            String name = String.format(Locale.ROOT, "%s%d", c == -1 ? "pool" : "conv", index++);
            if (c == -1) {
                list.layer(new FastSubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                        .stride(2, 2).name(name).dataFormat(format).build());
            } else if (spec.ntk()) {
                list.layer(new NtkConvolutionLayer.Builder(3, 3).sigmaW(Math.sqrt(2)).name(name)
                        .nOut(c / spec.widthDivisor()).activation(Activation.RELU).dataFormat(format).build());
            } else {
                list.layer(new FastConvolutionLayer.Builder(3, 3).name(name).nOut(c / spec.widthDivisor())
                        .activation(Activation.RELU).dataFormat(format).build());
            }
        }
        if (spec.ntk()) {
            // NtkDenseLayer has no loss: the classifier is an NTK dense layer followed by a loss layer.
            list.layer(new NtkDenseLayer.Builder().name("classifier").nOut(spec.numClasses()).sigmaW(1.0)
                    .activation(Activation.IDENTITY).build());
            list.layer(new org.deeplearning4j.nn.conf.layers.LossLayer.Builder(LossFunctions.LossFunction.MCXENT)
                    .activation(Activation.SOFTMAX).name("loss").build());
        } else {
            list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("classifier")
                    .nOut(spec.numClasses()).activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build());
        }
        return list.setInputType(InputType.convolutional(32, 32, 3, format)).build();
    }
}
