package io.github.widenet.bench;

import io.github.widenet.layers.MeanFieldLayer;
import io.github.widenet.layers.NtkLayer;
import io.github.widenet.meanfield.MeanFieldTimeScale;
import io.github.widenet.sgd.InPlaceSgd;
import io.github.widenet.train.TaskMemory;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Training throughput of 784 → m → 10 (batch 100, float32, plain SGD) for the project's blocks and for DL4J's
 * DenseLayer + OutputLayer of the same shape. The project's blocks are timed as first layers
 * ({@code inputGradient(false)}), as in the MNIST experiment, trained by {@code net.fit} and by
 * {@link InPlaceSgd} (the mean-field block's network also stepped with the fused ReLU-block kernels off, interleaved
 * with it), and the mean-field block also with its input gradient. The machine's limit for a first layer's step
 * is {@link #firstLayerFlops} at the 2048² sgemm rate, timed interleaved with the cases; GFLOP/s columns count
 * 6·B·(d·m + m·k) for layers that compute the input gradient and the first-layer flops otherwise.
 */
public final class TwoLayerBenchmarks {

    static final int D = 784;
    static final int K = 10;
    static final int BATCH = 100;
    /** Widths above this are timed for the project's first-layer blocks only (DL4J's pair would take minutes). */
    static final int LARGE = 10_000;
    /** The limit's yardstick: n × n sgemm, timed interleaved with the cases. */
    static final int GEMM_N = 2048;
    private static final String SGEMM = "sgemm 2048";

    private TwoLayerBenchmarks() {
    }

    /**
     * One measured configuration; {@code flopsPerStep} is the work the model actually does in a step;
     * {@code peakBytes} is the resident peak while it ran (its own when {@code ownPeak}, else the process's so far);
     * {@code sgemmGflops} is the 2048² sgemm rate timed interleaved with it (the limit it is compared with).
     */
    public record Row(String model, int units, double examplesPerSecond, double flopsPerStep, long peakBytes,
                      boolean ownPeak, double sgemmGflops) {
        public double gflops() {
            return flopsPerStep * examplesPerSecond / BATCH / 1e9;
        }
    }

    /** A first layer's training step: forward and weight gradient of x·W (4·B·d·m) and all three products of ·C. */
    public static double firstLayerFlops(int m) {
        return 4.0 * BATCH * D * m + 6.0 * BATCH * m * K;
    }

    /** A step that also computes the input gradient: 6·B·(d·m + m·k). */
    public static double fullFlops(int m) {
        return 6.0 * BATCH * ((double) D * m + (double) m * K);
    }

    /**
     * A case to build (lazily, so that wide networks can be timed one at a time), the flops of its step, and whether a
     * companion row (name + {@link #WITHOUT_KERNELS}) steps the same network with the fused kernels off, interleaved.
     */
    private record Spec(Supplier<StepTimer.Case> build, double flops, boolean alsoWithoutKernels) {
        Spec(Supplier<StepTimer.Case> build, double flops) {
            this(build, flops, false);
        }

        /** The case, and its companion on the same network, under their row names. */
        Map<String, StepTimer.Case> cases(String name) {
            Map<String, StepTimer.Case> out = new LinkedHashMap<>();
            StepTimer.Case c = build.get();
            out.put(name, c);
            if (alsoWithoutKernels) {
                out.put(name + WITHOUT_KERNELS, withoutKernels(c));
            }
            return out;
        }
    }

    /** Suffix of the row that steps the same network with the fused ReLU-block kernels off. */
    static final String WITHOUT_KERNELS = ", ND4J ops";

    /**
     * Up to {@link #LARGE} units every configuration is timed interleaved in one process; wider ones are built and timed
     * one at a time, after the previous one is freed, so each row's peak resident memory is its own.
     */
    public static List<Row> run(int[] widths, double secondsEach) {
        List<DataSet> batches = batches(4);
        List<Row> rows = new ArrayList<>();
        for (int m : widths) {
            Map<String, Spec> specs = new LinkedHashMap<>();
            if (m <= LARGE) {
                specs.put("DL4J DenseLayer+OutputLayer", new Spec(() -> new StepTimer.Case(dense(m), batches),
                        fullFlops(m)));
                specs.put("MeanFieldLayer, input gradient", new Spec(() -> new StepTimer.Case(block(m, true, true),
                        batches), fullFlops(m)));
            }
            specs.put("MeanFieldLayer (first layer)", new Spec(() -> new StepTimer.Case(block(m, true, false), batches),
                    firstLayerFlops(m)));
            specs.put("MeanFieldLayer, InPlaceSgd", new Spec(() -> inPlace(block(m, true, false), batches),
                    firstLayerFlops(m), true));
            specs.put("NtkLayer (first layer)", new Spec(() -> new StepTimer.Case(block(m, false, false), batches),
                    firstLayerFlops(m)));
            specs.put("NtkLayer, InPlaceSgd", new Spec(() -> inPlace(block(m, false, false), batches),
                    firstLayerFlops(m)));
            if (m <= LARGE) {
                Map<String, StepTimer.Case> cases = new LinkedHashMap<>();
                Map<String, Double> flops = new HashMap<>();
                specs.forEach((name, spec) -> spec.cases(name).forEach((row, c) -> {
                    cases.put(row, c);
                    flops.put(row, spec.flops());
                }));
                cases.put(SGEMM, GemmRate.asCase(GEMM_N));
                Map<String, Double> times = StepTimer.interleaved(cases, 5, secondsEach / 5);
                long peak = PeakMemory.bytes();
                double gemm = GemmRate.fromSeconds(GEMM_N, times.remove(SGEMM));
                times.forEach((name, t) -> rows.add(new Row(name, m, BATCH / t, flops.get(name), peak, false, gemm)));
                cases.clear();
            } else {
                for (Map.Entry<String, Spec> e : specs.entrySet()) {
                    boolean own = TaskMemory.release() && TaskMemory.resetPeak();
                    Map<String, StepTimer.Case> pair = new LinkedHashMap<>(e.getValue().cases(e.getKey()));
                    pair.put(SGEMM, GemmRate.asCase(GEMM_N));
                    Map<String, Double> t = StepTimer.interleaved(pair, 3, secondsEach / 3);
                    double gemm = GemmRate.fromSeconds(GEMM_N, t.remove(SGEMM));
                    long peak = PeakMemory.bytes();
                    t.forEach((name, seconds) -> rows.add(new Row(name, m, BATCH / seconds, e.getValue().flops(), peak,
                            own, gemm)));
                    pair.clear();
                }
            }
            TaskMemory.release();
        }
        return rows;
    }

    private static StepTimer.Case inPlace(MultiLayerNetwork net, List<DataSet> batches) {
        InPlaceSgd sgd = new InPlaceSgd(net);
        return new StepTimer.Case(net, batches, sgd::fit);
    }

    /** The same case with the fused ReLU-block kernels off for its steps (ND4J's ops, as without the module). */
    private static StepTimer.Case withoutKernels(StepTimer.Case c) {
        return new StepTimer.Case(c.net(), c.batches(), batch -> {
            String before = System.setProperty(io.github.widenet.layers.WidenetSettings.Setting.KERNELS_DISABLE.key(), "true");
            try {
                c.step().accept(batch);
            } finally {
                if (before == null) {
                    System.clearProperty(io.github.widenet.layers.WidenetSettings.Setting.KERNELS_DISABLE.key());
                } else {
                    System.setProperty(io.github.widenet.layers.WidenetSettings.Setting.KERNELS_DISABLE.key(), before);
                }
            }
        });
    }

    static List<DataSet> batches(int count) {
        Nd4j.getRandom().setSeed(42);
        List<DataSet> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            INDArray x = Nd4j.rand(DataType.FLOAT, BATCH, D);
            INDArray y = Nd4j.zeros(DataType.FLOAT, BATCH, K);
            for (int r = 0; r < BATCH; r++) {
                y.putScalar(r, (r * 7 + i) % K, 1f);
            }
            out.add(new DataSet(x, y));
        }
        return out;
    }

    static MultiLayerNetwork dense(int m) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Sgd(0.01)).list()
                .layer(new DenseLayer.Builder().nIn(D).nOut(m).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(m).nOut(K)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static MultiLayerNetwork block(int m, boolean meanField) {
        return block(m, meanField, true);
    }

    static MultiLayerNetwork block(int m, boolean meanField, boolean inputGradient) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Sgd(0.01)).list()
                .layer(meanField
                        ? MeanFieldLayer.builder().nIn(D).units(m).nOut(K).activation(Activation.RELU)
                        .inputGradient(inputGradient).updater(MeanFieldTimeScale.sgd(0.01, m)).build()
                        : NtkLayer.builder().nIn(D).units(m).nOut(K).activation(Activation.RELU)
                        .inputGradient(inputGradient).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}
