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

    /**
     * Weight initialisation of the convolutions (biases are zero in both): He normal N(0, 2/fan_in) for ReLU, or
     * Xavier normal with gain 1, N(0, 2/(fan_in + fan_out)), as the reference code (fan = channels · 3 · 3). The
     * classifier is Xavier normal in both.
     */
    public enum Init {
        HE, XAVIER
    }

    /**
     * The classifier's loss: softmax cross-entropy, or the squared loss on one-hot targets with identity output,
     * (1/K) Σ_k (f_k − y_k)² per image (DL4J's MSE), averaged over the batch.
     */
    public enum Loss {
        CE, MSE
    }

    /** Builder-style options for {@link #configuration}. */
    public record Spec(int[] layers, int widthDivisor, boolean ntk, int numClasses, long seed, DataType dataType,
                       Init init, Loss loss) {
        public Spec {
            java.util.Objects.requireNonNull(init, "init");
            java.util.Objects.requireNonNull(loss, "loss");
            if (ntk && init != Init.HE) {
                throw new IllegalArgumentException("the NTK parameterization has its own initialisation (N(0, 1) "
                        + "weights scaled by sigma_w/sqrt(fan_in)); --init " + init.name().toLowerCase(Locale.ROOT)
                        + " applies to the standard parameterization only");
            }
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
            return new Spec(VGG11, widthDivisor, ntk, 10, seed, DataType.FLOAT, Init.HE, Loss.CE);
        }

        public Spec withDataType(DataType type) {
            return new Spec(layers, widthDivisor, ntk, numClasses, seed, type, init, loss);
        }

        /** The same network with another initialisation and loss. */
        public Spec withRecipe(Init otherInit, Loss otherLoss) {
            return new Spec(layers, widthDivisor, ntk, numClasses, seed, dataType, otherInit, otherLoss);
        }

        /** e.g. "VGG-11/4 (NTK)". */
        public String describe() {
            String name = Arrays.equals(layers, VGG11) ? "VGG-11" : "VGG" + Arrays.toString(layers);
            return name + (widthDivisor == 1 ? "" : "/" + widthDivisor) + (ntk ? " (NTK parameterization)" : "")
                    + (init == Init.XAVIER ? ", Xavier init" : "") + (loss == Loss.MSE ? ", squared loss" : "");
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
                        .weightInit(spec.init() == Init.XAVIER ? WeightInit.XAVIER : WeightInit.RELU).biasInit(0)
                        .activation(Activation.RELU).dataFormat(format).build());
            }
        }
        LossFunctions.LossFunction loss = spec.loss() == Loss.MSE ? LossFunctions.LossFunction.MSE
                : LossFunctions.LossFunction.MCXENT;
        Activation out = spec.loss() == Loss.MSE ? Activation.IDENTITY : Activation.SOFTMAX;
        if (spec.ntk()) {
            // NtkDenseLayer has no loss: the classifier is an NTK dense layer followed by a loss layer.
            list.layer(new NtkDenseLayer.Builder().name("classifier").nOut(spec.numClasses()).sigmaW(1.0)
                    .activation(Activation.IDENTITY).build());
            list.layer(new org.deeplearning4j.nn.conf.layers.LossLayer.Builder(loss)
                    .activation(out).name("loss").build());
        } else {
            list.layer(new OutputLayer.Builder(loss).name("classifier").biasInit(0)
                    .nOut(spec.numClasses()).activation(out).weightInit(WeightInit.XAVIER).build());
        }
        return list.setInputType(InputType.convolutional(32, 32, 3, format)).build();
    }
}
