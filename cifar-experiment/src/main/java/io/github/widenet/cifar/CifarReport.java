package io.github.widenet.cifar;

import io.github.widenet.cifar.data.CifarSource;
import io.github.widenet.cifar.stats.Accuracy;
import io.github.widenet.cifar.stats.Interval;
import io.github.widenet.cifar.stats.PairedComparison;
import io.github.widenet.report.RunOutputs;
import io.github.widenet.report.CsvTable;
import io.github.widenet.report.MarkdownReport;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;

/**
 * Tables, plots and report.md of a CIFAR run over one or more seeds: per-seed results with Wilson intervals, mean ± sd
 * across seeds, paired comparisons of the pairs in {@link ModePair}, test accuracy at matched training accuracy, and the
 * sentences of {@link CifarConclusions}.
 */
final class CifarReport {

    private final CifarRunConfig config;
    private final CifarSource source;
    private final List<SeedRun> runs;
    private final RunOutputs out;
    private final int trainEvalExamples;
    private final OptionalDouble matchLevel;

    /**
     * @param runs              the finished modes of every seed (the same modes and test images in each)
     * @param trainEvalExamples the number of training images training accuracy was measured on
     * @param matchLevel        the training accuracy at which to compare test accuracies; empty: the highest level
     *                          every mode reaches
     */
    CifarReport(CifarRunConfig config, CifarSource source, List<SeedRun> runs, RunOutputs out, int trainEvalExamples,
                OptionalDouble matchLevel) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no seeds to report");
        }
        this.config = config;
        this.source = source;
        this.runs = List.copyOf(runs);
        this.out = out;
        this.trainEvalExamples = trainEvalExamples;
        this.matchLevel = matchLevel;
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String gb(long bytes) {
        return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", bytes / 1e9);
    }

    private List<Mode> modes() {
        return List.copyOf(runs.get(0).modes().keySet());
    }

    private int testExamples() {
        return runs.get(0).testLabels().length;
    }

    private static String alpha(Mode m) {
        return switch (m.kind()) {
            case PLAIN -> "plain";
            case LINEARIZED -> "inf (linearized)";
            case NTK_LIMIT -> "inf, t = inf (NTK regression)";
            case CENTRED -> Mode.format(m.alpha());
        };
    }

    /** Wilson 95% interval of a training accuracy measured on the {@code trainEvalExamples} fixed training images. */
    private Interval trainWilson(EpochRecord r) {
        return Accuracy.wilson(Math.round(r.trainAccuracy() * trainEvalExamples), trainEvalExamples, PairEvidence.LEVEL);
    }

    private Interval wilson(EpochRecord r) {
        return Accuracy.wilson(Math.round(r.testAccuracy() * testExamples()), testExamples(), PairEvidence.LEVEL);
    }

    void write(PrintStream log) throws IOException {
        List<PairEvidence> pairs = ModePair.of(modes()).stream().map(p -> PairEvidence.of(p, runs)).toList();
        MatchedTraining matched = MatchedTraining.of(runs, matchLevel);
        List<PairEvidence> matchedPairs = ModePair.of(modes()).stream()
                .map(p -> PairEvidence.atMatched(p, runs, matched)).toList();
        writeCsv(pairs, matched);
        out.csv("matched_comparisons.csv", comparisonsCsv(matchedPairs));
        List<String> plots = new CifarPlots(runs, out).write();
        List<String> header = List.of("seed", "mode", "train acc", "train acc 95% CI", "test acc", "test acc 95% CI",
                "test loss", "frozen-gates test acc", "|w-w0|/|w0|", "ReLU signs kept", "train time (s)",
                "peak RSS (GB, this mode)");
        List<List<String>> rows = finalRows();
        printFinal(log, header, rows);

        MarkdownReport md = new MarkdownReport().heading(1, "CIFAR-10: lazy vs non-lazy training")
                .paragraph(setup())
                .paragraph(modesExplained())
                .heading(2, "Final results per seed").table(header, rows);
        if (runs.size() > 1) {
            md.heading(2, "Across seeds (mean ± sd)").table(acrossHeader(), acrossRows());
        }
        comparisons(md, pairs, matched, matchedPairs);
        List<LimitDistance> limit = LimitDistance.of(runs);
        if (!limit.isEmpty()) {
            out.csv("limit_distance.csv", LimitDistance.csv(limit));
            limitSection(md, limit);
        }
        md.heading(2, "Findings")
                .paragraph("Every sentence is computed from the numbers above; a gap is claimed only when its 95% "
                        + "interval excludes 0 and the exact McNemar test rejects equal accuracy at the 5% level.");
        log.println("Findings:");
        List<String> sentences = new ArrayList<>(CifarConclusions.sentences(runs, pairs, matched, matchedPairs,
                trainEvalExamples));
        sentences.addAll(LimitDistance.sentences(limit));
        for (String sentence : sentences) {
            md.bullet(sentence);
            log.println("  " + sentence);
        }
        md.endList();
        for (String p : plots) {
            md.image(p, "plots/" + p);
        }
        out.report(md);
    }

    /** Each seed's and mode's final epoch: accuracies with their Wilson intervals, movement, time and memory. */
    private List<List<String>> finalRows() {
        List<List<String>> rows = new ArrayList<>();
        for (SeedRun run : runs) {
            for (Map.Entry<Mode, ModeResult> e : run.modes().entrySet()) {
                EpochRecord r = e.getValue().last();
                Interval ci = wilson(r);
                Interval trainCi = trainWilson(r);
                rows.add(List.of(Long.toString(run.seed()), e.getKey().label(), f(r.trainAccuracy()),
                        f(trainCi.low()) + "–" + f(trainCi.high()),
                        f(r.testAccuracy()), f(ci.low()) + "–" + f(ci.high()), f(r.testLoss()),
                        f(r.frozenGatesTestAccuracy()),
                        String.format(Locale.ROOT, "%.3g", r.relativeChange()), f(r.reluStable()),
                        String.format(Locale.ROOT, "%.0f", r.trainSeconds()), gb(e.getValue().peakResidentBytes())));
            }
        }
        return rows;
    }

    private void printFinal(PrintStream log, List<String> header, List<List<String>> rows) {
        log.println();
        log.println("Results on " + source.datasetName() + ", " + config.describeModel() + ", " + config.epochs()
                + " epochs:");
        String fmt = "%-5s %-20s %9s %15s %9s %15s %9s %12s %15s %14s %13s%n";
        log.printf(Locale.ROOT, fmt, header.toArray());
        for (List<String> r : rows) {
            log.printf(Locale.ROOT, fmt, r.toArray());
        }
    }

    private String setup() {
        return "Data: " + source.description() + ". Model: " + config.describeModel() + ". Options: `"
                + optionsWithoutSeed() + "`. Seeds: " + runs.stream().map(r -> Long.toString(r.seed())).toList()
                + " (each seed its own w0 and batch order; all modes of a seed start from the same w0).";
    }

    private String modesExplained() {
        return "Modes: plain trains h(w); each α-mode trains the centred model α·(h(w) − h(w0)) "
                + "with its loss divided by α² (α = 1 is standard training, large α lazy); linearized trains "
                + "J(w0)(w − w0), the α → ∞ limit. Loss: " + CifarRunConfig.lossFormula(config.loss())
                + ". Frozen-gates test accuracy (the reference code's \"lazy accuracy\"): the current weights w "
                + "evaluated with every ReLU mask and max-pool choice frozen at its value under w0, class = "
                + "arg max of g(w) − h(w0) for the centred and linearized modes, of g(w) for plain; it is not "
                + "the linearized model h(w0) + J(w0)(w − w0). Updates: " + config.momentumKind().option() + " momentum " + config.momentum()
                + ", step " + config.lr() + "/(1 + " + config.lrDecay() + "·epoch). Test accuracies are measured on the same " + testExamples() + " test images "
                + "for every mode; training accuracies on " + trainEvalExamples + " fixed training images.";
    }

    private void comparisons(MarkdownReport md, List<PairEvidence> pairs, MatchedTraining matched,
                             List<PairEvidence> matchedPairs) {
        md.heading(2, "Paired comparisons").paragraph("Difference of test accuracies (first minus second mode) on "
                + "the same test images, 95% paired bootstrap interval, exact McNemar test on the images where exactly "
                + "one mode is right, share of images with the same predicted class; `all` is the mean over seeds with "
                + "a stratified paired bootstrap interval and McNemar on the discordant images of all seeds. Also in `comparisons.csv`; final predictions in `predictions.csv`.")
                .table(comparisonHeader(), comparisonRows(pairs))
                .heading(2, "Matched training accuracy")
                .paragraph(String.format(Locale.ROOT, "Each mode's test accuracy at the first epoch its training "
                        + "accuracy reaches %.4f (%s). Also in `matched.csv`.", matched.level(), matched.requested()
                        ? "--match-train-accuracy" : "the highest level every mode reaches"))
                .table(List.of("seed", "mode", "epoch", "train acc", "train acc 95% CI", "test acc", "test acc 95% CI"),
                        matchedRows(matched))
                .paragraph("The same pairs compared on the same test images, each mode at its matched epoch (seeds in "
                        + "which both reach the level; also in `matched_comparisons.csv`):")
                .table(comparisonHeader(), comparisonRows(matchedPairs))
                .paragraph("Per-epoch values: `curves.csv`; per-layer ReLU stability: `relu_layers.csv`.");
    }

    private static void limitSection(MarkdownReport md, List<LimitDistance> limit) {
        md.heading(2, "Distance to the NTK-regression limit")
                .paragraph("Each trained mode's final test outputs f against the NTK-regression limit f∞ of the "
                        + "same w0 (the t → ∞ limit of lazy training with the squared loss): share of test images "
                        + "with the same predicted class, ‖f − f∞‖/‖f∞‖ over all test outputs, and the root mean "
                        + "square of ‖f(x) − f∞(x)‖ per image. Also in `limit_distance.csv`.")
                .table(List.of("seed", "mode", "same class as the limit", "‖f − f∞‖/‖f∞‖", "rms ‖f − f∞‖"),
                        LimitDistance.tableRows(limit));
    }

    private Map<String, Object> optionsWithoutSeed() {
        Map<String, Object> m = new java.util.LinkedHashMap<>(config.asMap());
        m.remove("seed");
        return m;
    }

    private static List<String> acrossHeader() {
        return List.of("mode", "seeds", "train acc", "test acc", "test loss", "|w-w0|/|w0|", "ReLU signs kept",
                "train time (s)", "peak RSS (GB, max)");
    }

    private List<List<String>> acrossRows() {
        List<List<String>> rows = new ArrayList<>();
        for (Mode m : modes()) {
            List<ModeResult> rs = runs.stream().map(r -> r.modes().get(m)).filter(java.util.Objects::nonNull).toList();
            rows.add(List.of(m.label(), Integer.toString(rs.size()), meanSd(rs, r -> r.last().trainAccuracy(), "%.4f"),
                    meanSd(rs, r -> r.last().testAccuracy(), "%.4f"), meanSd(rs, r -> r.last().testLoss(), "%.4f"),
                    meanSd(rs, r -> r.last().relativeChange(), "%.3g"), meanSd(rs, r -> r.last().reluStable(), "%.4f"),
                    meanSd(rs, r -> r.last().trainSeconds(), "%.0f"),
                    gb(rs.stream().mapToLong(ModeResult::peakResidentBytes).max().orElse(-1))));
        }
        return rows;
    }

    /** "0.6120 ± 0.0104" (sample standard deviation). */
    static String meanSd(List<ModeResult> rs, ToDoubleFunction<ModeResult> value, String fmt) {
        SummaryStatistics s = new SummaryStatistics();
        rs.forEach(r -> s.addValue(value.applyAsDouble(r)));
        return String.format(Locale.ROOT, fmt + " ± " + fmt, s.getMean(), s.getN() > 1 ? s.getStandardDeviation() : 0);
    }

    private static List<String> comparisonHeader() {
        return List.of("seed", "first", "second", "difference (points)", "95% CI", "only first right",
                "only second right", "McNemar p", "same class");
    }

    private static String points(double d) {
        return String.format(Locale.ROOT, "%+.1f", 100 * d);
    }

    private static String range(Interval i) {
        return String.format(Locale.ROOT, "%.1f to %.1f", 100 * i.low(), 100 * i.high());
    }

    private static String p(double p) {
        return io.github.widenet.cifar.stats.PValue.format(p);
    }

    private List<List<String>> comparisonRows(List<PairEvidence> pairs) {
        List<List<String>> rows = new ArrayList<>();
        for (PairEvidence e : pairs) {
            for (Map.Entry<Long, PairedComparison> c : e.perSeed().entrySet()) {
                PairedComparison pc = c.getValue();
                rows.add(List.of(Long.toString(c.getKey()), e.pair().a().label(), e.pair().b().label(),
                        points(pc.difference().estimate()), range(pc.difference()), Long.toString(pc.onlyA()),
                        Long.toString(pc.onlyB()), p(pc.mcnemarP()), String.format(Locale.ROOT, "%.1f%%",
                                100 * pc.agreement())));
            }
            if (e.perSeed().size() > 1 && e.pooled() != null) {
                rows.add(List.of("all", e.pair().a().label(), e.pair().b().label(), points(e.pooled().estimate()),
                        range(e.pooled()), "", "", p(e.pooledMcnemarP()), String.format(Locale.ROOT, "%.1f%%",
                                100 * e.meanAgreement())));
            }
        }
        return rows;
    }

    private List<List<String>> matchedRows(MatchedTraining t) {
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<Long, Map<Mode, EpochRecord>> s : t.reached().entrySet()) {
            for (Map.Entry<Mode, EpochRecord> e : s.getValue().entrySet()) {
                EpochRecord r = e.getValue();
                if (r == null) {
                    rows.add(List.of(Long.toString(s.getKey()), e.getKey().label(), "never reached", "", "", "", ""));
                } else {
                    Interval ci = wilson(r);
                    Interval trainCi = trainWilson(r);
                    rows.add(List.of(Long.toString(s.getKey()), e.getKey().label(), Integer.toString(r.epoch()),
                            f(r.trainAccuracy()), f(trainCi.low()) + "–" + f(trainCi.high()), f(r.testAccuracy()),
                            f(ci.low()) + "–" + f(ci.high())));
                }
            }
        }
        return rows;
    }

    private static CsvTable comparisonsCsv(List<PairEvidence> pairs) {
        CsvTable comparisons = new CsvTable("seed", "mode_a", "mode_b", "difference", "low95", "high95", "only_a_right",
                "only_b_right", "mcnemar_p", "same_class_share");
        for (PairEvidence e : pairs) {
            for (Map.Entry<Long, PairedComparison> c : e.perSeed().entrySet()) {
                PairedComparison pc = c.getValue();
                comparisons.add(c.getKey(), e.pair().a().label(), e.pair().b().label(), pc.difference().estimate(),
                        pc.difference().low(), pc.difference().high(), pc.onlyA(), pc.onlyB(), pc.mcnemarP(),
                        pc.agreement());
            }
            if (e.pooled() != null) {
                comparisons.add("all", e.pair().a().label(), e.pair().b().label(), e.pooled().estimate(),
                        e.pooled().low(), e.pooled().high(), "", "", e.pooledMcnemarP(), e.meanAgreement());
            }
        }
        return comparisons;
    }

    private void writeCsv(List<PairEvidence> pairs, MatchedTraining matched) throws IOException {
        CsvTable summary = new CsvTable("seed", "mode", "alpha", "epochs", "train_accuracy", "train_loss",
                "test_accuracy", "test_accuracy_low95", "test_accuracy_high95", "test_loss", "frozen_gates_test_accuracy",
                "relative_param_change", "relu_signs_kept", "train_seconds", "peak_resident_bytes");
        CsvTable curves = new CsvTable("seed", "mode", "epoch", "train_accuracy", "train_loss", "test_accuracy",
                "test_loss", "frozen_gates_test_accuracy", "relative_param_change", "relu_signs_kept",
                "train_seconds");
        CsvTable relu = new CsvTable("seed", "mode", "layer", "relu_signs_kept");
        List<String> predHeader = new ArrayList<>(List.of("seed", "image", "label"));
        modes().forEach(m -> predHeader.add(m.key()));
        CsvTable predictions = new CsvTable(predHeader);
        for (SeedRun run : runs) {
            for (Map.Entry<Mode, ModeResult> e : run.modes().entrySet()) {
                Mode m = e.getKey();
                EpochRecord last = e.getValue().last();
                Interval ci = wilson(last);
                summary.add(run.seed(), m.label(), alpha(m), last.epoch(), last.trainAccuracy(), last.trainLoss(),
                        last.testAccuracy(), ci.low(), ci.high(), last.testLoss(), last.frozenGatesTestAccuracy(),
                        last.relativeChange(),
                        last.reluStable(), last.trainSeconds(), e.getValue().peakResidentBytes());
                for (EpochRecord r : e.getValue().records()) {
                    curves.add(run.seed(), m.label(), r.epoch(), r.trainAccuracy(), r.trainLoss(), r.testAccuracy(),
                            r.testLoss(), r.frozenGatesTestAccuracy(), r.relativeChange(), r.reluStable(),
                            r.trainSeconds());
                }
                for (Map.Entry<String, Double> l : last.reluStablePerLayer().entrySet()) {
                    relu.add(run.seed(), m.label(), l.getKey(), l.getValue());
                }
            }
            int[] labels = run.testLabels();
            for (int i = 0; i < labels.length; i++) {
                List<Object> row = new ArrayList<>(List.of(run.seed(), i, labels[i]));
                for (Mode m : modes()) {
                    ModeResult r = run.modes().get(m);
                    row.add(r == null || r.predictions() == null ? "" : r.predictions()[i]);
                }
                predictions.add(row.toArray());
            }
        }
        out.csv("results.csv", summary);
        out.csv("curves.csv", curves);
        out.csv("relu_layers.csv", relu);
        out.csv("predictions.csv", predictions);

        out.csv("comparisons.csv", comparisonsCsv(pairs));

        CsvTable m = new CsvTable("seed", "mode", "train_accuracy_level", "epoch", "train_accuracy", "test_accuracy",
                "test_accuracy_low95", "test_accuracy_high95");
        for (Map.Entry<Long, Map<Mode, EpochRecord>> s : matched.reached().entrySet()) {
            for (Map.Entry<Mode, EpochRecord> e : s.getValue().entrySet()) {
                EpochRecord r = e.getValue();
                if (r == null) {
                    m.add(s.getKey(), e.getKey().label(), matched.level(), "", "", "", "", "");
                } else {
                    Interval ci = wilson(r);
                    m.add(s.getKey(), e.getKey().label(), matched.level(), r.epoch(), r.trainAccuracy(),
                            r.testAccuracy(), ci.low(), ci.high());
                }
            }
        }
        out.csv("matched.csv", m);
    }
}
