package io.github.widenet.bench;

import io.github.widenet.lazy.LazyWrapper;
import io.github.widenet.linearized.LinearizedWrapper;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Cost of one training step (fit on one minibatch, float32, SGD) of the wrapped networks relative to the plain one: the
 * lazy model with its cache of h(w0, x) warm (the same minibatches recur, as over epochs) and with no cache, and the
 * linearized model — for the two-layer 784 → 1000 → 10 net (batch 100) and a small VGG-style convolutional net
 * (32×32×3, conv16-pool-conv32-pool-dense64-10, batch 64).
 */
public final class WrapperBenchmarks {

    private WrapperBenchmarks() {
    }

    /** One row: milliseconds per step, and each wrapped model's ratio to the plain network. */
    public record Row(String model, double plainMs, double lazyCachedMs, double lazyUncachedMs, double linearizedMs) {

        public double lazyCachedRatio() {
            return lazyCachedMs / plainMs;
        }

        public double lazyUncachedRatio() {
            return lazyUncachedMs / plainMs;
        }

        public double linearizedRatio() {
            return linearizedMs / plainMs;
        }
    }

    /** Interleaved timing rounds per configuration (the median is reported; more rounds resist a shared CPU better). */
    private static final int ROUNDS = 7;

    /** Targets: lazy (cached) at most 1.2× the plain step, linearized at most 2.5×. */
    public static final double LAZY_TARGET = 1.2;
    public static final double LINEARIZED_TARGET = 2.5;

    /**
     * Prints the table; optional argument: seconds of timed work per configuration (default 2.5; the whole run then
     * takes about a minute). Run with OMP_WAIT_POLICY=PASSIVE.
     */
    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2.5;
        System.out.print(table(run(seconds)));
    }

    /** The rows as a Markdown table (ms/step, ratio to plain). */
    public static String table(List<Row> rows) {
        StringBuilder b = new StringBuilder();
        b.append("One training step (float32, SGD), wrapped vs plain: ms/step (ratio to plain); lazy alpha = 100\n");
        b.append(String.format(Locale.ROOT, "| %-30s | %8s | %16s | %16s | %16s |%n", "model", "plain",
                "lazy (cached)", "lazy (no cache)", "linearized"));
        b.append("|--------------------------------|---------:|-----------------:|-----------------:|-----------------:|\n");
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "| %-30s | %8.2f | %8.2f (%.2fx) | %8.2f (%.2fx) | %8.2f (%.2fx) |%n",
                    r.model(), r.plainMs(), r.lazyCachedMs(), r.lazyCachedRatio(), r.lazyUncachedMs(),
                    r.lazyUncachedRatio(), r.linearizedMs(), r.linearizedRatio()));
        }
        b.append(String.format(Locale.ROOT, "targets: lazy (cached) <= %.1fx, linearized <= %.1fx%n", LAZY_TARGET,
                LINEARIZED_TARGET));
        return b.toString();
    }

    /** Times the two networks; {@code secondsEach}: timed work per configuration (in {@value #ROUNDS} slices). */
    public static List<Row> run(double secondsEach) {
        List<Row> rows = new ArrayList<>();
        rows.add(measure("784-1000-10, batch 100", WrapperBenchmarks::twoLayer, batches(100, new long[]{784}, 4),
                secondsEach));
        rows.add(measure("small VGG conv net, batch 64", WrapperBenchmarks::smallConv,
                batches(64, new long[]{3, 32, 32}, 4), secondsEach));
        return rows;
    }

    private static Row measure(String name, Supplier<MultiLayerNetwork> net, List<DataSet> data, double seconds) {
        Map<String, StepTimer.Case> cases = new LinkedHashMap<>();
        cases.put("plain", new StepTimer.Case(net.get(), data));
        cases.put("cached", new StepTimer.Case(LazyWrapper.wrap(net.get(), 100), data));
        cases.put("uncached", new StepTimer.Case(LazyWrapper.wrap(net.get(), 100, 0), data));
        cases.put("linearized", new StepTimer.Case(LinearizedWrapper.wrap(net.get()), data));
        Map<String, Double> s = StepTimer.interleaved(cases, ROUNDS, seconds / ROUNDS);
        return new Row(name, 1000 * s.get("plain"), 1000 * s.get("cached"), 1000 * s.get("uncached"),
                1000 * s.get("linearized"));
    }

    static MultiLayerNetwork twoLayer() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .updater(new Sgd(0.01)).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(1000).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(1000).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    static MultiLayerNetwork smallConv() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .updater(new Sgd(0.01)).convolutionMode(ConvolutionMode.Same).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(16).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder().kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(32).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder().kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(32, 32, 3))
                .build());
        net.init();
        return net;
    }

    private static List<DataSet> batches(int batch, long[] featureShape, int count) {
        Nd4j.getRandom().setSeed(7);
        List<DataSet> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long[] shape = new long[featureShape.length + 1];
            shape[0] = batch;
            System.arraycopy(featureShape, 0, shape, 1, featureShape.length);
            INDArray x = Nd4j.rand(DataType.FLOAT, shape);
            INDArray y = Nd4j.zeros(DataType.FLOAT, batch, 10);
            for (int r = 0; r < batch; r++) {
                y.putScalar(r, (r * 3 + i) % 10, 1f);
            }
            out.add(new DataSet(x, y));
        }
        return out;
    }
}
