package io.github.widenet.bench;

import java.util.List;
import java.util.Locale;

/**
 * The {@code bench} entry point: prints, for this machine, the ND4J sgemm rate and the training throughput of the
 * project's layers next to DL4J's built-in layers of the same shape. Run with {@code ./widenet bench [seconds]}.
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 4.0;
        double gemm = GemmRate.gflops(2048, seconds);
        System.out.printf(Locale.ROOT, "ND4J sgemm 2048x2048 (float32): %.1f GFLOP/s%n%n", gemm);

        List<TwoLayerBenchmarks.Row> rows = TwoLayerBenchmarks.run(new int[]{1_000, 10_000}, seconds);
        System.out.println("Training 784 -> m -> 10, batch 100, SGD, float32");
        System.out.printf(Locale.ROOT, "%-30s %7s %12s %9s %11s %10s%n", "model", "m", "examples/s", "GFLOP/s",
                "% of sgemm", "vs DL4J");
        double denseRate = 0;
        for (TwoLayerBenchmarks.Row r : rows) {
            if (r.model().startsWith("DL4J")) {
                denseRate = r.examplesPerSecond();
            }
            System.out.printf(Locale.ROOT, "%-30s %7d %12.0f %9.1f %10.0f%% %9.2fx%n", r.model(), r.units(),
                    r.examplesPerSecond(), r.gflops(), 100 * r.gflops() / gemm, r.examplesPerSecond() / denseRate);
        }

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
}
