package io.github.widenet.cifar;

import io.github.widenet.bench.PeerResults;
import io.github.widenet.bench.StepTimer;
import io.github.widenet.lazy.LazyWrapper;
import io.github.widenet.linearized.LinearizedWrapper;
import io.github.widenet.cifar.model.Vgg;
import io.github.widenet.cifar.model.VggLayout;
import io.github.widenet.layers.runtime.FastConvolutionLayerRuntime;
import io.github.widenet.nd4j.OneDnn;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import io.github.widenet.train.InvalidOptionException;
import io.github.widenet.train.OptionRules;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * VGG-11 training throughput on this machine (images/s, SGD with momentum, float32, random 32×32×3 batches), for the
 * requested width divisors and batch sizes, beside PyTorch's figures for the same nets when a peer results file is given
 * ({@code cifar-experiment/peer/torch_vgg_bench.py}); then the wrappers' step time on VGG-11 ÷4 as a ratio to the plain
 * step (lazy α = 100 and linearized; targets {@value #LAZY_TARGET}× and {@value #LINEARIZED_TARGET}×), timed in
 * interleaved rounds. Prints which native build ND4J loaded and whether the convolution layers use a oneDNN helper.
 */
@Command(name = "cifar-bench", mixinStandardHelpOptions = true,
        description = "VGG-11 training images/s for width divisors and batch sizes")
public final class CifarBench implements Callable<Integer> {

    @Option(names = "--divisors", split = ",", defaultValue = "4,1", description = "width divisors (default: ${DEFAULT-VALUE})")
    List<Integer> divisors;

    @Option(names = "--batches", split = ",", defaultValue = "64", description = "batch sizes (default: ${DEFAULT-VALUE})")
    List<Integer> batchSizes;

    @Option(names = "--seconds", defaultValue = "20", description = "seconds timed per configuration (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--warmup", defaultValue = "3", description = "seconds of training before each configuration is "
            + "timed, so the JIT has compiled the step (default: ${DEFAULT-VALUE})")
    double warmup;

    @Option(names = "--ntk", description = "NTK-parameterized VGG")
    boolean ntk;

    @Option(names = "--peer", description = "PyTorch's figures for the same nets: the output of "
            + "cifar-experiment/peer/torch_vgg_bench.py")
    Path peerFile;

    @Option(names = "--formats", split = ",", defaultValue = "nhwc", description = "activation layouts to time: nhwc "
            + "(the CIFAR experiment's), nchw (DL4J's CNN2DFormat) (default: ${DEFAULT-VALUE})")
    List<String> formats;

    @Option(names = "--no-wrappers", description = "skip timing the lazy and linearized wrappers on VGG-11/4")
    boolean noWrappers;

    /** Targets of the wrappers' step time, as a ratio to the plain step on VGG-11 ÷4. */
    public static final double LAZY_TARGET = 1.1;
    public static final double LINEARIZED_TARGET = 2.0;
    private static final int MIN_WRAPPER_ROUNDS = 5;
    private static final double WRAPPER_SLICE = 0.5;

    public static void main(String[] args) {
        OneDnn.configure();
        System.exit(io.github.widenet.train.CliErrors.configure(new CommandLine(new CifarBench()), "cifar-bench")
                .execute(args));
    }

    @Override
    public Integer call() throws java.io.IOException {
        if (divisors.stream().anyMatch(d -> d < 1) || batchSizes.stream().anyMatch(b -> b < 1) || !(seconds > 0)
                || !(warmup >= 0)) {
            throw new InvalidOptionException("--divisors and --batches must be >= 1, --seconds > 0 and --warmup >= 0");
        }
        Set<CNN2DFormat> layouts = new LinkedHashSet<>();
        try {
            for (String f : formats) {
                layouts.add(VggLayout.parse("--formats", f));
            }
            OptionRules.existingFile("--peer", peerFile);
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException(e.getMessage(), e);
        }
        PeerResults peer = peerFile == null ? null : PeerResults.read(peerFile);
        OneDnn.verify();
        System.out.println("ND4J: " + OneDnn.describe());
        System.out.printf(Locale.ROOT, "%-28s %6s %12s %12s %8s %22s%n", "model", "batch", "images/s", "PyTorch",
                "ratio", "convolutions");
        for (int divisor : divisors) {
            for (CNN2DFormat format : layouts) {
                for (int batch : batchSizes) {
                    Vgg.Spec spec = Vgg.Spec.vgg11(divisor, ntk, 1);
                    MultiLayerNetwork net = vgg(spec, format);
                    List<DataSet> data = batches(batch, 2, format);
                    StepTimer.secondsPerStep(net, data, 2, 3, warmup);       // JIT and oneDNN primitives settle
                    double perStep = StepTimer.secondsPerStep(net, data, 0, 3, seconds);
                    double ours = batch / perStep;
                    double theirs = peer == null ? Double.NaN : peer.vgg(divisor, batch);
                    System.out.printf(Locale.ROOT, "%-28s %6d %12.1f %12s %8s %22s%n", label(spec, format), batch,
                            ours, Double.isNaN(theirs) ? "-" : String.format(Locale.ROOT, "%.1f", theirs),
                            Double.isNaN(theirs) ? "-" : String.format(Locale.ROOT, "%.2fx", ours / theirs),
                            helperName(net));
                }
            }
        }
        if (peer == null) {
            System.out.println("PyTorch figures: run  " + peerCommand() + "  and pass --peer peer-vgg.txt");
        }
        if (!noWrappers) {
            for (CNN2DFormat format : layouts) {
                printWrappers(batchSizes.get(0), format);
            }
        }
        return 0;
    }

    private static String label(Vgg.Spec spec, CNN2DFormat format) {
        return spec.describe() + (format == CNN2DFormat.NHWC ? " NHWC" : "");
    }

    /**
     * Plain, lazy (α = 100) and linearized VGG-11 ÷4 steps in short interleaved rounds (about {@value #WRAPPER_SLICE}
     * s per case, at least {@value #MIN_WRAPPER_ROUNDS} rounds); each wrapper's ratio is the median over rounds of its
     * step time over the plain step's in the same round (which cancels the machine's drift between rounds).
     */
    private void printWrappers(int batch, CNN2DFormat format) {
        Vgg.Spec spec = Vgg.Spec.vgg11(4, ntk, 1);
        List<DataSet> data = batches(batch, 2, format);
        Map<String, StepTimer.Case> cases = new LinkedHashMap<>();
        cases.put("plain", new StepTimer.Case(vgg(spec, format), data));
        cases.put("lazy", new StepTimer.Case(LazyWrapper.wrap(vgg(spec, format), 100), data));
        cases.put("linearized", new StepTimer.Case(LinearizedWrapper.wrap(vgg(spec, format)), data));
        int rounds = Math.max(MIN_WRAPPER_ROUNDS, (int) Math.round(seconds / WRAPPER_SLICE));
        Map<String, double[]> s = StepTimer.interleavedSlices(cases, rounds, seconds / rounds);
        double plain = StepTimer.median(s.get("plain"));
        double lazy = StepTimer.medianRatio(s.get("lazy"), s.get("plain"));
        double linearized = StepTimer.medianRatio(s.get("linearized"), s.get("plain"));
        System.out.printf(Locale.ROOT, "%s, batch %d, one training step (%d interleaved rounds; ratios: median over "
                + "rounds of the step time over the plain step's in the same round):%n", label(spec, format), batch,
                rounds);
        System.out.printf(Locale.ROOT, "  plain %.1f ms | lazy alpha=100 %.1f ms (%.2fx; target <= %.1fx) | "
                        + "linearized %.1f ms (%.2fx; target <= %.1fx)%n", 1000 * plain,
                1000 * StepTimer.median(s.get("lazy")), lazy, LAZY_TARGET, 1000 * StepTimer.median(s.get("linearized")),
                linearized, LINEARIZED_TARGET);
    }

    private static MultiLayerNetwork vgg(Vgg.Spec spec, CNN2DFormat format) {
        MultiLayerNetwork net = new MultiLayerNetwork(Vgg.configuration(spec, new Nesterovs(0.01, 0.9), format));
        net.init();
        return net;
    }

    /** The command that produces the peer file for the default divisors and batch sizes 64 and 128. */
    static String peerCommand() {
        return "OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 cifar-experiment/peer/torch_vgg_bench.py 2 4,1 64,128 "
                + "> peer-vgg.txt";
    }

    /** Which convolution implementation the net's first convolution layer runs. */
    static String helperName(MultiLayerNetwork net) {
        for (Layer l : net.getLayers()) {
            if (l instanceof FastConvolutionLayerRuntime) {
                return io.github.widenet.layers.WidenetSettings.oneDnnDirectProblem() == null ? "oneDNN direct" : "ND4J ops";
            }
            if (l instanceof ConvolutionLayer) {
                Object helper = ((ConvolutionLayer) l).getHelper();
                return helper == null ? "none (im2col)" : helper.getClass().getSimpleName();
            }
        }
        return "-";
    }

    /** Random 32×32×3 batches in the given layout ([N, 3, 32, 32] or [N, 32, 32, 3]) with one-hot labels. */
    static List<DataSet> batches(int batch, int count, CNN2DFormat format) {
        List<DataSet> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            INDArray x = format == CNN2DFormat.NHWC ? Nd4j.randn(DataType.FLOAT, batch, 32, 32, 3)
                    : Nd4j.randn(DataType.FLOAT, batch, 3, 32, 32);
            INDArray y = Nd4j.zeros(DataType.FLOAT, batch, 10);
            for (int r = 0; r < batch; r++) {
                y.putScalar(r, (r + i) % 10, 1f);
            }
            out.add(new DataSet(x, y));
        }
        return out;
    }
}
