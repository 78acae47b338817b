package io.github.widenet.bench;


import io.github.widenet.train.CliErrors;
import io.github.widenet.train.InvalidOptionException;
import io.github.widenet.train.OptionRules;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The {@code bench} entry point: prints, for this machine, the ND4J sgemm rate, the training throughput of the project's
 * layers next to DL4J's built-in layers of the same shape and the machine's limit for a first layer's step
 * (4·B·d·m + 6·B·m·k flops at the sgemm rate), the peak resident memory, PyTorch's figures when a peer results file is
 * given, and the wrappers' step overhead. Run with
 * {@code ./widenet bench [seconds] [--widths 1000,10000,250000] [--peer FILE] [--no-wrappers]}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Layer and wrapper throughput on this machine: ND4J sgemm, the project's layers against DL4J's own",
                "and the first layer's limit, PyTorch's figures from a peer file, the wrappers' step overhead."},
        footer = {"", "Exit codes: 0 done, 1 unreadable --peer file, 2 invalid option."})
public final class Bench implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", defaultValue = "4", paramLabel = "SECONDS",
            description = "seconds timed per measurement (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--widths", split = ",", defaultValue = "1000,10000",
            description = "hidden widths of the two-layer nets (default: ${DEFAULT-VALUE})")
    List<Integer> widths;

    @Option(names = "--peer", paramLabel = "FILE", description = "PyTorch's figures: the output of ../shared/peer/torch_bench.py")
    Path peerFile;

    @Option(names = "--no-wrappers", description = "skip timing the lazy and linearized wrappers")
    boolean noWrappers;

    public static void main(String[] args) {
        System.exit(CliErrors.configure(new CommandLine(new Bench()), "bench").execute(args));
    }

    @Override
    public Integer call() throws IOException {
        try {
            OptionRules.finitePositive("SECONDS", seconds);
            for (int m : widths) {
                OptionRules.inRange("--widths", m, 1, Integer.MAX_VALUE);
            }
            OptionRules.existingFile("--peer", peerFile);
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException(e.getMessage(), e);
        }
        PeerResults peer = peerFile == null ? null : PeerResults.read(peerFile);
        OpenBlasCoreType.warning().ifPresent(w -> System.out.println("WARNING: " + w));
        double gemm = GemmRate.gflops(2048, seconds);
        System.out.printf(Locale.ROOT, "ND4J sgemm 2048x2048 (float32): %.1f GFLOP/s (OPENBLAS_CORETYPE %s)%s%n%n",
                gemm, OpenBlasCoreType.setting(),
                peer == null || Double.isNaN(peer.sgemm()) ? "" : String.format(Locale.ROOT,
                        " (PyTorch in the peer file: %.0f)", peer.sgemm()));
        twoLayer(widths.stream().mapToInt(Integer::intValue).toArray(), seconds, peer);
        if (peer == null) {
            System.out.println("No PyTorch figures: produce them with " + PeerResults.command()
                    + " and pass --peer peer.txt");
        }
        if (!noWrappers) {
            System.out.println();
            System.out.println("One training step, wrapped vs plain (ms/step; ratio to plain); lazy alpha = 100");
            System.out.printf(Locale.ROOT, "%-30s %8s %16s %16s %16s%n", "model", "plain", "lazy (cached)",
                    "lazy (no cache)", "linearized");
            for (WrapperBenchmarks.Row r : WrapperBenchmarks.run(seconds)) {
                System.out.printf(Locale.ROOT, "%-30s %8.2f %9.2f (%.2fx) %9.2f (%.2fx) %9.2f (%.2fx)%n", r.model(),
                        r.plainMs(), r.lazyCachedMs(), r.lazyCachedMs() / r.plainMs(), r.lazyUncachedMs(),
                        r.lazyUncachedMs() / r.plainMs(), r.linearizedMs(), r.linearizedMs() / r.plainMs());
            }
        }
        return 0;
    }

    private static void twoLayer(int[] widths, double seconds, PeerResults peer) {
        System.out.println("Training 784 -> m -> 10, batch 100, SGD, float32; limit = a first layer's step "
                + "(4Bdm + 6Bmk flops) at the sgemm rate timed interleaved with the row (column 'sgemm')");
        String kernels = io.github.widenet.layers.WidenetSettings.reluKernelsProblem();
        System.out.println("Fused ReLU-block kernels (JDK Vector API): " + (kernels == null ? "on" : "off: " + kernels)
                + "; the 'ND4J ops' row runs without them");
        System.out.printf(Locale.ROOT, "%-38s %7s %11s %9s %8s %10s %10s %9s %10s %12s%n", "model", "m", "examples/s",
                "GFLOP/s", "sgemm", "% sgemm", "% limit", "vs DL4J", "vs PyTorch", "peak RSS");
        for (int m : widths) {
            List<TwoLayerBenchmarks.Row> rows = TwoLayerBenchmarks.run(new int[]{m}, seconds);
            double dl4j = rows.stream().filter(r -> r.model().startsWith("DL4J")).mapToDouble(
                    TwoLayerBenchmarks.Row::examplesPerSecond).findFirst().orElse(Double.NaN);
            double torch = peer == null ? Double.NaN : peer.twoLayer(m);
            double[] limits = new double[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                TwoLayerBenchmarks.Row r = rows.get(i);
                limits[i] = limit(m, r.sgemmGflops());
                String rss = String.format(Locale.ROOT, "%.2f GB%s", r.peakBytes() / 1e9, r.ownPeak() ? "" : "*");
                System.out.printf(Locale.ROOT, "%-38s %7d %11.0f %9.1f %8.1f %9.0f%% %9.0f%% %8sx %9sx %12s%n",
                        r.model(), r.units(), r.examplesPerSecond(), r.gflops(), r.sgemmGflops(),
                        100 * r.gflops() / r.sgemmGflops(), 100 * r.examplesPerSecond() / limits[i],
                        ratio(r.examplesPerSecond(), dl4j), ratio(r.examplesPerSecond(), torch), rss);
            }
            java.util.Arrays.sort(limits);
            System.out.printf(Locale.ROOT, "%-38s %7d %11.0f   (%.0f to %.0f over the rows' sgemm timings)%n",
                    "limit (first layer at sgemm rate)", m, limits[limits.length / 2], limits[0],
                    limits[limits.length - 1]);
            if (!Double.isNaN(torch)) {
                System.out.printf(Locale.ROOT, "%-38s %7d %11.0f%n", "PyTorch (peer file)", m, torch);
            }
        }
        System.out.println("peak RSS: each row's own (built and timed alone) above " + TwoLayerBenchmarks.LARGE
                + " units; * = the process's peak while all rows of that width were timed together");
    }

    /** Examples/s of a first layer's step at {@code gemm} GFLOP/s. */
    private static double limit(int m, double gemm) {
        return TwoLayerBenchmarks.BATCH * gemm * 1e9 / TwoLayerBenchmarks.firstLayerFlops(m);
    }

    private static String ratio(double a, double b) {
        return Double.isNaN(b) ? "-" : String.format(Locale.ROOT, "%.2f", a / b);
    }
}
