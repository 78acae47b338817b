package io.github.widenet.cifar.model;

import io.github.widenet.layers.FastConvolutionLayer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Locale;

/**
 * ResNet-18 for 32×32×3 images (He et al. 2016, the CIFAR variant with a 3×3 stem and no stem pooling): a 3×3
 * convolution of 64 channels, then four stages of two basic blocks with 64, 128, 256, 512 channels (stride 2 at the
 * first block of stages 2–4), global average pooling and one linear classifier; every width divided by
 * {@code widthDivisor}. A basic block computes relu(BN(conv(relu(BN(conv(x))))) + s(x)) with s the identity, or a 1×1
 * convolution of the block's stride followed by BatchNorm where the shape changes. Convolutions have no bias (BatchNorm
 * follows each); weights He normal N(0, 2/fan_in) or Xavier normal, the classifier Xavier normal with a zero bias.
 * Built as a {@link ComputationGraphConfiguration} (input "input", output "classifier").
 */
public final class ResNet {

    /** Channels of the four stages at full width. */
    static final int[] STAGES = {64, 128, 256, 512};

    private ResNet() {
    }

    /** The ResNet-18 configuration for {@code widthDivisor}, in {@code format}, with {@code updater}. */
    public static ComputationGraphConfiguration resnet18(int widthDivisor, long seed, DataType dataType, Vgg.Init init,
                                                         Vgg.Loss loss, IUpdater updater, CNN2DFormat format) {
        if (widthDivisor < 1 || STAGES[0] % widthDivisor != 0) {
            throw new IllegalArgumentException("ResNet-18's width divisor must divide 64, got " + widthDivisor);
        }
        WeightInit convInit = init == Vgg.Init.XAVIER ? WeightInit.XAVIER : WeightInit.RELU;
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(dataType)
                .updater(updater)
                .weightInit(convInit)
                .convolutionMode(ConvolutionMode.Same)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .graphBuilder()
                .addInputs("input");
        Blocks b = new Blocks(g, format, convInit);
        String x = b.convBn("stem", "input", STAGES[0] / widthDivisor, 3, 1);
        x = b.relu("stem_relu", x);
        int channels = STAGES[0] / widthDivisor;
        for (int s = 0; s < STAGES.length; s++) {
            for (int block = 0; block < 2; block++) {
                int out = STAGES[s] / widthDivisor;
                int stride = s > 0 && block == 0 ? 2 : 1;
                x = b.basicBlock(String.format(Locale.ROOT, "s%db%d", s + 1, block + 1), x, channels, out, stride);
                channels = out;
            }
        }
        g.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG)
                .poolingDimensions(format == CNN2DFormat.NHWC ? new int[]{1, 2} : new int[]{2, 3}).build(), x);
        LossFunctions.LossFunction lossFunction = loss == Vgg.Loss.MSE ? LossFunctions.LossFunction.MSE
                : LossFunctions.LossFunction.MCXENT;
        g.addLayer("classifier", new OutputLayer.Builder(lossFunction).nOut(10).biasInit(0)
                .activation(loss == Vgg.Loss.MSE ? Activation.IDENTITY : Activation.SOFTMAX)
                .weightInit(WeightInit.XAVIER).build(), "pool");
        return g.setOutputs("classifier").setInputTypes(InputType.convolutional(32, 32, 3, format)).build();
    }

    /** Adds the layers of convolutions, BatchNorms and blocks to a graph. */
    private record Blocks(ComputationGraphConfiguration.GraphBuilder g, CNN2DFormat format, WeightInit init) {

        /** k×k convolution of {@code out} channels and {@code stride}, no bias, then BatchNorm; returns the BN's name. */
        String convBn(String name, String in, int out, int k, int stride) {
            g.addLayer(name + "_conv", new FastConvolutionLayer.Builder(new int[]{k, k}, new int[]{stride, stride})
                    .nOut(out).hasBias(false).activation(Activation.IDENTITY).weightInit(init).dataFormat(format)
                    .build(), in);
            g.addLayer(name + "_bn", new BatchNormalization.Builder().dataFormat(format).build(), name + "_conv");
            return name + "_bn";
        }

        String relu(String name, String in) {
            g.addLayer(name, new ActivationLayer.Builder().activation(Activation.RELU).build(), in);
            return name;
        }

        String basicBlock(String name, String in, int channelsIn, int out, int stride) {
            String y = relu(name + "_relu1", convBn(name + "_a", in, out, 3, stride));
            y = convBn(name + "_b", y, out, 3, 1);
            String shortcut = stride == 1 && channelsIn == out ? in : convBn(name + "_proj", in, out, 1, stride);
            g.addVertex(name + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), y, shortcut);
            return relu(name + "_out", name + "_add");
        }
    }
}
