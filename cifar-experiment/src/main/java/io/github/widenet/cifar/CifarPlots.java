package io.github.widenet.cifar;

import io.github.widenet.report.RunOutputs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The PNG plots of a CIFAR run: final accuracies and parameter change against α (centred modes, mean over seeds; the
 * linearized and plain modes as horizontal lines), and per-epoch test accuracy and ReLU stability of the first seed.
 */
final class CifarPlots {

    private final List<SeedRun> runs;
    private final RunOutputs dir;

    CifarPlots(List<SeedRun> runs, RunOutputs dir) {
        this.runs = runs;
        this.dir = dir;
    }

    private double mean(Mode m, ToDoubleFunction<EpochRecord> v) {
        return runs.stream().filter(r -> r.modes().containsKey(m)).mapToDouble(r -> v.applyAsDouble(
                r.modes().get(m).last())).average().orElse(Double.NaN);
    }

    /** Writes the plots; returns their file names. */
    List<String> write() throws IOException {
        List<String> files = new ArrayList<>();
        List<Mode> modes = List.copyOf(runs.get(0).modes().keySet());
        List<Mode> centred = modes.stream().filter(Mode::isCentred).toList();
        if (centred.size() > 1) {
            double[] xs = centred.stream().mapToDouble(Mode::alpha).toArray();
            double lo = Arrays.stream(xs).min().orElse(1);
            double hi = Arrays.stream(xs).max().orElse(1);
            Map<String, double[][]> acc = new LinkedHashMap<>();
            acc.put("test accuracy", new double[][]{xs, centred.stream()
                    .mapToDouble(m -> mean(m, EpochRecord::testAccuracy)).toArray()});
            acc.put("train accuracy", new double[][]{xs, centred.stream()
                    .mapToDouble(m -> mean(m, EpochRecord::trainAccuracy)).toArray()});
            for (Mode m : modes) {
                if (!m.isCentred()) {
                    double t = mean(m, EpochRecord::testAccuracy);
                    acc.put(m.label() + " (test)", new double[][]{{lo, hi}, {t, t}});
                }
            }
            String seeds = runs.size() > 1 ? " (mean over " + runs.size() + " seeds)" : "";
            dir.lines("accuracy-vs-alpha.png", "Accuracy vs scale alpha" + seeds, "alpha (log)",
                    "accuracy", acc, true, false);
            files.add("accuracy-vs-alpha.png");
            Map<String, double[][]> change = new LinkedHashMap<>();
            change.put("|w - w0| / |w0|", new double[][]{xs, centred.stream()
                    .mapToDouble(m -> Math.max(1e-12, mean(m, EpochRecord::relativeChange))).toArray()});
            dir.lines("param-change-vs-alpha.png", "Relative parameter change vs alpha" + seeds,
                    "alpha (log)", "|w - w0| / |w0| (log)", change, true, true);
            files.add("param-change-vs-alpha.png");
        }
        if (AlphaSweepFigure.write(runs, dir)) {
            files.add(AlphaSweepFigure.FILE);
        }
        SeedRun first = runs.get(0);
        String which = runs.size() > 1 ? " (seed " + first.seed() + ")" : "";
        Map<String, double[][]> test = new LinkedHashMap<>();
        Map<String, double[][]> stable = new LinkedHashMap<>();
        for (Map.Entry<Mode, ModeResult> e : first.modes().entrySet()) {
            List<EpochRecord> rs = e.getValue().records();
            double[] ep = rs.stream().mapToDouble(EpochRecord::epoch).toArray();
            test.put(e.getKey().label(), new double[][]{ep, rs.stream().mapToDouble(EpochRecord::testAccuracy).toArray()});
            double[] kept = rs.stream().mapToDouble(EpochRecord::reluStable).toArray();
            if (Arrays.stream(kept).anyMatch(Double::isFinite)) {      // not measured for the NTK-regression limit
                stable.put(e.getKey().label(), new double[][]{ep, kept});
            }
        }
        dir.lines("test-accuracy-curves.png", "Test accuracy per epoch" + which, "epoch",
                "test accuracy", test, false, false);
        files.add("test-accuracy-curves.png");
        dir.lines("relu-stability-curves.png", "Share of ReLU signs unchanged since init" + which,
                "epoch", "share", stable, false, false);
        files.add("relu-stability-curves.png");
        return files;
    }
}
