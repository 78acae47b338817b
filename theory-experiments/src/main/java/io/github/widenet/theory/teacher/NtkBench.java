package io.github.widenet.theory.teacher;

import io.github.widenet.train.CliErrors;
import io.github.widenet.train.OptionRules;
import io.github.widenet.ntk.EmpiricalNtk;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Cost of {@link EmpiricalNtk} on a VGG-like convolutional net: VGG-11's layout (64, M, 128, M, 256, 256, M, 512, 512, M,
 * 512, 512, M; 3×3 same convolutions + ReLU, 2×2 max-pooling) with every width divided by {@code --width-divisor}, then
 * a linear classifier to K logits, on random {@code size}×{@code size}×3 images, float32. Prints one table row per
 * (block size, output kind): forward and backward passes, wall time, time per backward pass (its share of the forward
 * included), peak Jacobian memory (2·B·K·P) against the whole Jacobian's n·K·P.
 */
@Command(name = "ntk-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Empirical NTK cost on a VGG-11-like net (widths / divisor) on large images.")
public final class NtkBench implements Callable<Integer> {

    static final int[] VGG11 = {64, -1, 128, -1, 256, 256, -1, 512, 512, -1, 512, 512, -1};

    @Option(names = "--size", defaultValue = "256", description = "image side (default: ${DEFAULT-VALUE})")
    int size;
    @Option(names = "--width-divisor", defaultValue = "4", description = "VGG-11 widths / this (default: ${DEFAULT-VALUE})")
    int divisor;
    @Option(names = "--classes", defaultValue = "10", description = "logits K (default: ${DEFAULT-VALUE})")
    int classes;
    @Option(names = "--images", defaultValue = "4", description = "examples n (default: ${DEFAULT-VALUE})")
    int images;
    @Option(names = "--blocks", split = ",", defaultValue = "2,4", description = "block sizes B to time (default: ${DEFAULT-VALUE})")
    List<Integer> blocks;
    @Option(names = "--outputs", split = ",", defaultValue = "FULL",
            description = "FULL and/or TRACE (same passes; default: ${DEFAULT-VALUE})")
    List<EmpiricalNtk.Output> outputs;

    public static void main(String[] args) {
        System.exit(CliErrors.execute(new NtkBench(), args));
    }

    static MultiLayerNetwork vgg(int size, int divisor, int classes) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT)
                .updater(new Sgd(0.01)).weightInit(WeightInit.RELU).convolutionMode(ConvolutionMode.Same).list();
        for (int c : VGG11) {
            if (c == -1) {
                list.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build());
            } else {
                list.layer(new ConvolutionLayer.Builder(3, 3).nOut(c / divisor).activation(Activation.RELU).build());
            }
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes)
                .activation(Activation.SOFTMAX).build());
        list.setInputType(InputType.convolutional(size, size, 3));
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    @Override
    public Integer call() {
        OptionRules.require(size >= 32, "--size", size, "must be >= 32 (five 2x2 poolings)");
        OptionRules.require(divisor >= 1 && divisor <= 64, "--width-divisor", divisor, "must be in [1, 64]");
        OptionRules.require(classes >= 1, "--classes", classes, "must be >= 1");
        OptionRules.require(images >= 1, "--images", images, "must be >= 1");
        for (int b : blocks) {
            OptionRules.require(b >= 1 && b <= images, "--blocks", b, "must be between 1 and --images " + images
                    + " (a block holds at most every image)");
        }
        MultiLayerNetwork net = vgg(size, divisor, classes);
        Nd4j.getRandom().setSeed(2);
        INDArray x = Nd4j.rand(DataType.FLOAT, images, 3, size, size);
        long p = net.numParams();
        double wholeMiB = (double) images * classes * p * 4 / (1 << 20);
        System.out.printf(Locale.ROOT, "VGG-11/%d on %dx%dx3 images, K=%d logits, P=%,d parameters, n=%d; whole Jacobian "
                + "n*K*P = %.1f MiB (float32)%n", divisor, size, size, classes, p, images, wholeMiB);
        System.out.printf(Locale.ROOT, "%-4s %-6s %8s %9s %9s %12s %14s %10s%n", "B", "output", "forward", "backward",
                "seconds", "ms/backward", "peak Jac. MiB", "result");
        for (int b : blocks) {
            for (EmpiricalNtk.Output out : outputs) {
                EmpiricalNtk ntk = EmpiricalNtk.of(net, b);
                long start = System.nanoTime();
                INDArray theta = ntk.gram(x, out);
                double s = (System.nanoTime() - start) / 1e9;
                System.out.printf(Locale.ROOT, "%-4d %-6s %8d %9d %9.1f %12.0f %14.1f %10s%n", b, out, ntk.forwardPasses(),
                        ntk.backwardPasses(), s, 1000 * s / ntk.backwardPasses(),
                        ntk.peakJacobianEntries() * 4.0 / (1 << 20), theta.rows() + "x" + theta.columns());
            }
        }
        return 0;
    }
}
