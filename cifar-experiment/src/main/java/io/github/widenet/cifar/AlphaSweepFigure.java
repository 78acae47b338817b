package io.github.widenet.cifar;

import io.github.widenet.cifar.stats.Accuracy;
import io.github.widenet.cifar.stats.Interval;
import io.github.widenet.report.RunOutputs;
import io.github.widenet.report.Plots;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The paper's α-sweep figure (alpha-sweep.png): left, final training and test accuracy of the centred models against
 * α on a log axis, with the test accuracy's 95% Wilson interval (on the pooled test images of all seeds) and the
 * frozen-gates test accuracy; right, ‖w − w0‖/‖w0‖ against α (log–log). Values are means over the seeds that ran the
 * mode.
 */
final class AlphaSweepFigure {

    static final String FILE = "alpha-sweep.png";

    private AlphaSweepFigure() {
    }

    /** Draws the figure when at least two centred modes ran; returns whether it did. */
    static boolean write(List<SeedRun> runs, RunOutputs dir) throws IOException {
        List<Mode> centred = runs.get(0).modes().keySet().stream().filter(Mode::isCentred).toList();
        if (centred.size() < 2) {
            return false;
        }
        double[] xs = centred.stream().mapToDouble(Mode::alpha).toArray();
        Map<String, double[][]> acc = new LinkedHashMap<>();
        acc.put("train accuracy", series(runs, centred, xs, EpochRecord::trainAccuracy));
        acc.put("test accuracy", series(runs, centred, xs, EpochRecord::testAccuracy));
        double[] low = new double[xs.length];
        double[] high = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            Mode m = centred.get(i);
            long n = (long) runs.get(0).testLabels().length * seedsWith(runs, m);
            Interval ci = Accuracy.wilson(Math.round(mean(runs, m, EpochRecord::testAccuracy) * n), n, 0.95);
            low[i] = ci.low();
            high[i] = ci.high();
        }
        acc.put("test 95% low", new double[][]{xs, low});
        acc.put("test 95% high", new double[][]{xs, high});
        double[][] frozen = series(runs, centred, xs, EpochRecord::frozenGatesTestAccuracy);
        if (java.util.Arrays.stream(frozen[1]).noneMatch(Double::isNaN)) {
            acc.put("frozen-gates test accuracy", frozen);
        }
        Map<String, double[][]> change = new LinkedHashMap<>();
        double[][] rel = series(runs, centred, xs, EpochRecord::relativeChange);
        for (int i = 0; i < rel[1].length; i++) {
            rel[1][i] = Math.max(1e-12, rel[1][i]);          // a log axis: 0 change drawn at 1e-12
        }
        change.put("|w - w0| / |w0|", rel);
        String seeds = runs.size() > 1 ? " (mean over seeds)" : "";
        dir.plot(FILE, List.of(
                Plots.lineChart("Accuracy vs alpha" + seeds, "alpha (log)", "accuracy", acc, true, false, 800, 500),
                Plots.lineChart("Relative parameter change" + seeds, "alpha (log)", "|w - w0| / |w0| (log)", change,
                        true, true, 800, 500)), 1, 2);
        return true;
    }

    private static double[][] series(List<SeedRun> runs, List<Mode> modes, double[] xs, ToDoubleFunction<EpochRecord> v) {
        return new double[][]{xs, modes.stream().mapToDouble(m -> mean(runs, m, v)).toArray()};
    }

    private static long seedsWith(List<SeedRun> runs, Mode m) {
        return runs.stream().filter(r -> r.modes().containsKey(m)).count();
    }

    private static double mean(List<SeedRun> runs, Mode m, ToDoubleFunction<EpochRecord> v) {
        return runs.stream().filter(r -> r.modes().containsKey(m))
                .mapToDouble(r -> v.applyAsDouble(r.modes().get(m).last())).average().orElse(Double.NaN);
    }
}
