package io.github.widenet.cifar;

import io.github.widenet.cifar.data.CifarSource;
import io.github.widenet.report.CsvTable;
import io.github.widenet.report.MarkdownReport;
import io.github.widenet.report.Plots;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Tables, plots and report.md of a CIFAR run. */
final class CifarReport {

    private final CifarRunConfig config;
    private final CifarSource source;
    private final Map<Mode, List<EpochRecord>> results;
    private final Path out;
    private final int testExamples;

    /** @param testExamples the number of test images the accuracies were measured on (for their intervals) */
    CifarReport(CifarRunConfig config, CifarSource source, Map<Mode, List<EpochRecord>> results, Path out,
                int testExamples) {
        this.config = config;
        this.source = source;
        this.results = results;
        this.out = out;
        this.testExamples = testExamples;
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    void write(PrintStream log) throws IOException {
        CsvTable summary = new CsvTable("mode", "alpha", "train_accuracy", "train_loss", "test_accuracy", "test_loss",
                "relative_param_change", "relu_signs_kept", "train_seconds");
        CsvTable curves = new CsvTable("mode", "epoch", "train_accuracy", "train_loss", "test_accuracy", "test_loss",
                "relative_param_change", "relu_signs_kept", "train_seconds");
        CsvTable relu = new CsvTable("mode", "layer", "relu_signs_kept");
        for (Map.Entry<Mode, List<EpochRecord>> e : results.entrySet()) {
            Mode m = e.getKey();
            EpochRecord last = e.getValue().get(e.getValue().size() - 1);
            summary.add(m.label(), m.isLinearized() ? "inf (linearized)" : Mode.format(m.alpha()), last.trainAccuracy(),
                    last.trainLoss(), last.testAccuracy(), last.testLoss(), last.relativeChange(), last.reluStable(),
                    last.trainSeconds());
            for (EpochRecord r : e.getValue()) {
                curves.add(m.label(), r.epoch(), r.trainAccuracy(), r.trainLoss(), r.testAccuracy(), r.testLoss(),
                        r.relativeChange(), r.reluStable(), r.trainSeconds());
            }
            for (Map.Entry<String, Double> l : last.reluStablePerLayer().entrySet()) {
                relu.add(m.label(), l.getKey(), l.getValue());
            }
        }
        summary.write(out.resolve("results.csv"));
        curves.write(out.resolve("curves.csv"));
        relu.write(out.resolve("relu_layers.csv"));
        List<String> plots = plots();

        List<String> header = List.of("mode", "train acc", "test acc", "test loss", "|w-w0|/|w0|", "ReLU signs kept",
                "train time (s)");
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<Mode, List<EpochRecord>> e : results.entrySet()) {
            EpochRecord r = e.getValue().get(e.getValue().size() - 1);
            rows.add(List.of(e.getKey().label(), f(r.trainAccuracy()), f(r.testAccuracy()), f(r.testLoss()),
                    String.format(Locale.ROOT, "%.3g", r.relativeChange()), f(r.reluStable()),
                    String.format(Locale.ROOT, "%.0f", r.trainSeconds())));
        }
        log.println();
        log.println("Results on " + source.datasetName() + ", " + config.model().describe() + ", " + config.epochs()
                + " epochs:");
        log.printf(Locale.ROOT, "%-20s %9s %9s %9s %12s %15s %15s%n", header.toArray());
        for (List<String> r : rows) {
            log.printf(Locale.ROOT, "%-20s %9s %9s %9s %12s %15s %15s%n", r.toArray());
        }

        MarkdownReport md = new MarkdownReport().heading(1, "CIFAR-10: lazy vs non-lazy training")
                .paragraph("Data: " + source.description() + ". Model: " + config.model().describe() + ". Options: `"
                        + config.asMap() + "`.")
                .paragraph("Each α-mode trains the centred model α·(h(w) − h(w0)) on CE/α² from the same w0 (α = 1 is "
                        + "standard training); the linearized mode trains J(w0)(w − w0), the α → ∞ limit. The theory "
                        + "(Chizat, Oyallon, Bach 2019) predicts that large α keeps the parameters near w0 and the ReLU "
                        + "patterns fixed, and that such lazy training may generalise worse; the findings below say what "
                        + "this run's numbers show.")
                .heading(2, "Final results").table(header, rows)
                .paragraph("Per-epoch values: `curves.csv`; per-layer ReLU stability: `relu_layers.csv`.")
                .heading(2, "Findings")
                .paragraph("Computed from the numbers above: accuracies with Wilson 95% intervals on the " + testExamples
                        + " test images, a difference claimed only when the intervals are disjoint.");
        Map<Mode, EpochRecord> finals = new LinkedHashMap<>();
        for (Mode m : results.keySet()) {
            finals.put(m, last(m));
        }
        log.println("Findings:");
        for (String sentence : CifarConclusions.sentences(finals, testExamples)) {
            md.bullet(sentence);
            log.println("  " + sentence);
        }
        md.endList();
        for (String p : plots) {
            md.image(p, "plots/" + p);
        }
        md.write(out.resolve("report.md"));
        log.println("Wrote " + out.toAbsolutePath() + ": report.md, manifest.json, results.csv, curves.csv, plots/");
    }

    private List<String> plots() throws IOException {
        Path dir = out.resolve("plots");
        List<String> files = new ArrayList<>();
        List<Mode> lazyModes = results.keySet().stream().filter(m -> !m.isLinearized()).toList();
        Mode lin = results.keySet().stream().filter(Mode::isLinearized).findFirst().orElse(null);
        if (!lazyModes.isEmpty()) {
            double[] xs = lazyModes.stream().mapToDouble(Mode::alpha).toArray();
            Map<String, double[][]> acc = new LinkedHashMap<>();
            acc.put("test accuracy", new double[][]{xs, lazyModes.stream().mapToDouble(m -> last(m).testAccuracy()).toArray()});
            acc.put("train accuracy", new double[][]{xs, lazyModes.stream().mapToDouble(m -> last(m).trainAccuracy()).toArray()});
            if (lin != null && xs.length > 1) {
                double lo = java.util.Arrays.stream(xs).min().orElse(1);
                double hi = java.util.Arrays.stream(xs).max().orElse(1);
                acc.put("linearized (test)", new double[][]{{lo, hi}, {last(lin).testAccuracy(), last(lin).testAccuracy()}});
            }
            if (xs.length > 1) {
                Plots.lines(dir.resolve("accuracy-vs-alpha.png"), "Accuracy vs scale alpha", "alpha (log)", "accuracy",
                        acc, true, false);
                files.add("accuracy-vs-alpha.png");
                Map<String, double[][]> change = new LinkedHashMap<>();
                change.put("|w - w0| / |w0|", new double[][]{xs, lazyModes.stream()
                        .mapToDouble(m -> Math.max(1e-12, last(m).relativeChange())).toArray()});
                Plots.lines(dir.resolve("param-change-vs-alpha.png"), "Relative parameter change vs alpha", "alpha (log)",
                        "|w - w0| / |w0| (log)", change, true, true);
                files.add("param-change-vs-alpha.png");
            }
        }
        Map<String, double[][]> test = new LinkedHashMap<>();
        Map<String, double[][]> stable = new LinkedHashMap<>();
        for (Map.Entry<Mode, List<EpochRecord>> e : results.entrySet()) {
            double[] ep = e.getValue().stream().mapToDouble(EpochRecord::epoch).toArray();
            test.put(e.getKey().label(), new double[][]{ep, e.getValue().stream().mapToDouble(EpochRecord::testAccuracy).toArray()});
            stable.put(e.getKey().label(), new double[][]{ep, e.getValue().stream().mapToDouble(EpochRecord::reluStable).toArray()});
        }
        Plots.lines(dir.resolve("test-accuracy-curves.png"), "Test accuracy per epoch", "epoch", "test accuracy", test,
                false, false);
        files.add("test-accuracy-curves.png");
        Plots.lines(dir.resolve("relu-stability-curves.png"), "Share of ReLU signs unchanged since init", "epoch",
                "share", stable, false, false);
        files.add("relu-stability-curves.png");
        return files;
    }

    private EpochRecord last(Mode m) {
        List<EpochRecord> r = results.get(m);
        return r.get(r.size() - 1);
    }
}
