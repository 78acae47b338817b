package io.github.widenet.mnist;

import io.github.widenet.mnist.data.MnistSource;
import io.github.widenet.report.RunOutputs;
import io.github.widenet.report.CsvTable;
import io.github.widenet.report.MarkdownReport;
import io.github.widenet.report.RunManifest;
import io.github.widenet.stats.SamplingFloor;
import org.apache.commons.math3.distribution.TDistribution;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report across seeds (--seeds): per scaling and width the test accuracy and the exact W1 of the units to the
 * largest width at the end of training, each as the mean over the k seeds with its 95 % t-interval
 * (mean ± t_{0.975, k−1}·sd/√k), and the sampling-floor test on the mean over the seeds ({@link SamplingFloor#test},
 * with the initial units as its check); the width trend stated from the intervals.
 */
final class MnistSeedsReport {

    private final RunConfig config;
    private final MnistSource source;
    private final Map<Long, MnistExperiment.SeedOutcome> outcomes;

    MnistSeedsReport(RunConfig config, MnistSource source, Map<Long, MnistExperiment.SeedOutcome> outcomes) {
        this.config = config;
        this.source = source;
        this.outcomes = outcomes;
    }

    /** Mean and 95 % t-interval of values over seeds. */
    record Estimate(double mean, double low, double high) {
        static Estimate of(double[] v) {
            double m = java.util.Arrays.stream(v).average().orElseThrow();
            if (v.length < 2) {
                return new Estimate(m, Double.NaN, Double.NaN);
            }
            double ss = 0;
            for (double x : v) {
                ss += (x - m) * (x - m);
            }
            double half = new TDistribution(v.length - 1).inverseCumulativeProbability(0.975)
                    * Math.sqrt(ss / (v.length - 1) / v.length);
            return new Estimate(m, m - half, m + half);
        }

        String text(String fmt) {
            return String.format(Locale.ROOT, fmt + " [" + fmt + ", " + fmt + "]", mean, low, high);
        }
    }

    private double[] values(Scaling s, java.util.function.ToDoubleFunction<MnistExperiment.SeedOutcome> f) {
        return outcomes.values().stream().mapToDouble(f).toArray();
    }

    private double[] w1(Scaling s, String q, long step, int m) {
        return values(s, o -> o.analyses().get(s).row(q, step, m).exactToLargest());
    }

    private SamplingFloor floor(Scaling s, String q, int m) {
        return outcomes.values().iterator().next().analyses().get(s).floor(q, m);
    }

    void write(RunOutputs out, PrintStream log, RunManifest manifest) throws IOException {
        int k = outcomes.size();
        List<Integer> smaller = config.widths().subList(0, config.widths().size() - 1);
        CsvTable acc = new CsvTable("scaling", "width", "seeds", "test_accuracy_mean", "test_accuracy_lo95",
                "test_accuracy_hi95");
        List<List<String>> accRows = accuracy(acc);
        W1Section w1 = new W1Section();
        for (Scaling s : config.scalings()) {
            for (String q : List.of("c", "wnorm")) {
                w1.add(s, q, smaller);
            }
        }
        out.csv("accuracy_across_seeds.csv", acc);
        out.csv("w1_across_seeds.csv", w1.table);
        String plot = "w1-to-largest-across-seeds.png";
        if (!smaller.isEmpty()) {
            out.lines(plot, "W1 to N = " + config.largestWidth() + " at the end, mean over " + k
                    + " seeds", "hidden units N", "exact W1", w1.series, true, true);
        }
        MarkdownReport md = new MarkdownReport().heading(1, "MNIST across seeds: hidden-unit distributions as the "
                        + "width grows")
                .paragraph("Data: " + source.description() + ". Options: `" + config.asMap() + "`; seeds "
                        + outcomes.keySet() + ", each a full run in `seed-<s>/` (its own report, w1.csv, "
                        + "sampling_floor.csv and plots). Intervals: mean over the seeds ± t_{0.975, k−1}·sd/√k.")
                .heading(2, "Test accuracy").table(List.of("scaling", "N", "test accuracy, mean [95% CI]"), accRows)
                .heading(2, "W1 to the largest width at the end of training")
                .paragraph("`end`: exact W1 between the units at N and at N = " + config.largestWidth() + " after "
                        + config.steps() + " steps; `init`: the same for the initial units (which differ by sampling "
                        + "alone); `floor`: mean W1 of independent initial samples (" + MnistExperiment.FLOOR_DRAWS
                        + " draws); `bound`: the floor's one-sided 97.5% prediction bound for a mean of " + k
                        + " runs. The verdict compares the mean over the seeds with the bound, and is left undecided "
                        + "when the initial units already exceed it.")
                .table(List.of("scaling", "quantity", "N", "end, mean [95% CI]", "init, mean", "floor", "bound",
                        "verdict"), w1.rows)
                .heading(2, "Findings");
        for (String sentence : w1.sentences) {
            md.bullet(sentence);
            log.println(sentence);
        }
        md.endList();
        if (!smaller.isEmpty()) {
            md.image("W1 to the largest width across seeds", "plots/" + plot);
        }
        out.report(md);
        Map<String, Object> perSeed = new LinkedHashMap<>();
        outcomes.forEach((seed, o) -> perSeed.put(Long.toString(seed), o.results()));
        manifest.put("results", perSeed);
    }

    /** Test accuracy per scaling and width over the seeds, into {@code acc}; the report's rows. */
    private List<List<String>> accuracy(CsvTable acc) {
        List<List<String>> rows = new ArrayList<>();
        for (Scaling s : config.scalings()) {
            for (int m : config.widths()) {
                Estimate e = Estimate.of(values(s, o -> o.results().stream().filter(r -> r.width() == m
                        && r.scaling().equals(s.label())).findFirst().orElseThrow().testAccuracy()));
                acc.add(s.label(), m, outcomes.size(), e.mean(), e.low(), e.high());
                rows.add(List.of(s.label(), Integer.toString(m), e.text("%.4f")));
            }
        }
        return rows;
    }

    /** The W1 section: its CSV, table rows, plot series and computed sentences, one (scaling, quantity) at a time. */
    private final class W1Section {
        final CsvTable table = new CsvTable("scaling", "quantity", "width", "seeds", "w1_end_mean", "w1_end_lo95",
                "w1_end_hi95", "w1_init_mean", "floor_mean", "floor_bound975_mean_of_seeds", "verdict");
        final List<List<String>> rows = new ArrayList<>();
        final List<String> sentences = new ArrayList<>();
        final Map<String, double[][]> series = new LinkedHashMap<>();

        void add(Scaling s, String q, List<Integer> smaller) throws IOException {
            int k = outcomes.size();
            double[] xs = new double[smaller.size()];
            double[] ys = new double[smaller.size()];
            double[] fl = new double[smaller.size()];
            List<Estimate> ends = new ArrayList<>();
            List<String> verdicts = new ArrayList<>();
            for (int i = 0; i < smaller.size(); i++) {
                int m = smaller.get(i);
                double[] end = w1(s, q, config.steps(), m);
                double[] start = w1(s, q, config.snapshotSteps().get(0), m);
                SamplingFloor f = floor(s, q, m);
                SamplingFloor.Verdict v = f.test(end, start);
                Estimate e = Estimate.of(end);
                Estimate e0 = Estimate.of(start);
                table.add(s.label(), q, m, k, e.mean(), e.low(), e.high(), e0.mean(), f.mean(), f.upper(k), v.name());
                rows.add(List.of(s.label(), UnitSnapshot.axisLabel(q), Integer.toString(m), e.text("%.4g"),
                        String.format(Locale.ROOT, "%.4g", e0.mean()), String.format(Locale.ROOT, "%.4g", f.mean()),
                        String.format(Locale.ROOT, "%.4g", f.upper(k)), v.words()));
                xs[i] = m;
                ys[i] = Math.max(1e-12, e.mean());
                fl[i] = Math.max(1e-12, f.mean());
                ends.add(e);
                verdicts.add("N = " + m + ": " + v.words());
            }
            series.put(s.label() + " " + q + " (end, mean)", new double[][]{xs, ys});
            series.put(s.label() + " " + q + " floor", new double[][]{xs.clone(), fl});
            sentences.add(String.format(Locale.ROOT, "%s, %s, mean over %d seeds of W1 to N = %d — %s.", s.label(),
                    UnitSnapshot.axisLabel(q), k, config.largestWidth(), String.join("; ", verdicts)));
            if (ends.size() >= 2) {
                sentences.add(trend(s, q, smaller, ends.get(0), ends.get(ends.size() - 1)));
            }
        }

        private String trend(Scaling s, String q, List<Integer> smaller, Estimate a, Estimate b) {
            String trend = b.high() < a.low() ? "falls (the 95% intervals do not overlap)"
                    : b.low() > a.high() ? "rises (the 95% intervals do not overlap)"
                    : "does not change beyond the seeds' spread (the 95% intervals overlap)";
            return String.format(Locale.ROOT, "%s, %s: from N = %d to N = %d the W1 to N = %d %s: %s "
                            + "to %s.", s.label(), UnitSnapshot.axisLabel(q), smaller.get(0),
                    smaller.get(smaller.size() - 1), config.largestWidth(), trend, a.text("%.4g"), b.text("%.4g"));
        }
    }
}
