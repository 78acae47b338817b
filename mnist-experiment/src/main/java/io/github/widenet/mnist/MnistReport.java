package io.github.widenet.mnist;

import io.github.widenet.mnist.data.MnistSource;
import io.github.widenet.report.RunOutputs;
import io.github.widenet.report.CsvTable;
import io.github.widenet.report.MarkdownReport;
import io.github.widenet.stats.SamplingFloor;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The MNIST experiment's report.md and console summary: accuracy and cost, the end-of-training distances of the units'
 * distributions (exact W1 to the largest width with its sampling floor, W1 moved from init, mean unit movement), the
 * sentences computed from them, and the plots.
 */
final class MnistReport {

    private final RunConfig config;
    private final MnistSource source;
    private final Map<Scaling, DistributionAnalysis> analyses;
    private final Map<Scaling, List<String>> plotFiles;
    private final CsvTable resultTable;

    MnistReport(RunConfig config, MnistSource source, Map<Scaling, DistributionAnalysis> analyses,
                Map<Scaling, List<String>> plotFiles, CsvTable resultTable) {
        this.config = config;
        this.source = source;
        this.analyses = analyses;
        this.plotFiles = plotFiles;
        this.resultTable = resultTable;
    }

    /** Writes the movement plot, prints the summary table to {@code log}, writes the report. */
    void write(RunOutputs out, PrintStream log) throws IOException {
        String movement = movementPlot(config, analyses, out);

        List<List<String>> summary = summaryRows(config, analyses);
        List<String> header = summaryHeader(config);
        log.println();
        log.println("Unit-parameter distributions at the end of training: exact W1 to the largest width, its sampling"
                + " floor, W1 moved from init (exact), and mean per-unit movement:");
        printTable(log, header, summary);

        MarkdownReport md = new MarkdownReport().heading(1, "MNIST: hidden-unit distributions as the width grows")
                .paragraph("Data: " + source.description() + ". Options: `" + config.asMap() + "`.")
                .paragraph("Each unit i of 784 → N → 10 carries (w_i, b_i, c_i). Mean-field: output (1/N)Σ c_i σ(w_i·x + b_i),"
                        + " SGD steps η·N; NTK: output (1/√N)Σ …, steps η. The theory predicts that mean-field"
                        + " distributions move far from initialisation and converge as N grows, while NTK units barely move.")
                .heading(2, "Accuracy and cost").table(resultTable)
                .heading(2, "Distances at the end of training")
                .paragraph("`to largest`: exact W1 between the units at N and at the largest N (convergence in N). "
                        + "`sampling floor`: mean exact W1 between independent samples of N and N_max units of the "
                        + "initial distribution (" + MnistExperiment.FLOOR_DRAWS + " draws) — what two widths differ by from "
                        + "sampling alone (0 for b, which starts as a point mass); `floor 97.5% bound`: the one-sided "
                        + "97.5 % prediction bound of one more draw, F̄ + t·s·√(1 + 1/R) (sampling_floor.csv also has "
                        + "the draws' 2.5 % and 97.5 % quantiles). A distance is said to exceed the floor only when it "
                        + "is above that bound and the same comparison of the initial units (which differ by sampling "
                        + "alone) is not. `moved`: exact W1 between a width's "
                        + "final and initial units (how far the distribution moved). `unit moved`: mean over units of "
                        + "|q_i(end) − q_i(0)| (how far individual units moved). Binned values too: `w1.csv`; counts: "
                        + "`histograms.csv`.")
                .table(header, summary);
        for (String sentence : floorFindings(config, analyses)) {
            md.paragraph(sentence);
        }
        if (movement != null) {
            md.image("movement from init", "plots/" + movement);
        }
        for (Map.Entry<Scaling, List<String>> e : plotFiles.entrySet()) {
            md.heading(2, e.getKey().label());
            for (String f : e.getValue()) {
                md.image(f, "plots/" + f);
            }
        }
        out.report(md);
    }

    private static List<String> summaryHeader(RunConfig config) {
        List<String> h = new ArrayList<>(List.of("scaling", "quantity", "distance"));
        for (int m : config.widths()) {
            h.add("N=" + m);
        }
        return h;
    }

    private static List<List<String>> summaryRows(RunConfig config, Map<Scaling, DistributionAnalysis> analyses) {
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<Scaling, DistributionAnalysis> e : analyses.entrySet()) {
            for (String q : List.of("c", "wnorm", "b")) {
                for (String kind : List.of("to largest", "sampling floor", "floor 97.5% bound", "moved",
                        "unit moved")) {
                    List<String> row = new ArrayList<>(List.of(e.getKey().label(), q, kind));
                    for (int m : config.widths()) {
                        DistributionAnalysis.W1Row r = e.getValue().row(q, config.steps(), m);
                        double v = switch (kind) {
                            case "moved" -> r.exactFromInit();
                            case "unit moved" -> r.unitMovement();
                            case "sampling floor" -> e.getValue().floor(q, m).mean();
                            case "floor 97.5% bound" -> e.getValue().floor(q, m).upper(1);
                            default -> r.exactToLargest();
                        };
                        boolean none = !kind.equals("moved") && !kind.equals("unit moved") && m == config.largestWidth();
                        row.add(none ? "-" : String.format(Locale.ROOT, "%.4f", v));
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    /**
     * One sentence per scaling and quantity, decided by {@link SamplingFloor#test}: the exact W1 between the units at N
     * and at the largest N at the end of training against the floor's 97.5 % bound, with the same test on the initial
     * units (which differ by sampling alone) as the check that the floor describes them; c per class summarised over
     * the classes.
     */
    static List<String> floorFindings(RunConfig config, Map<Scaling, DistributionAnalysis> analyses) {
        List<String> out = new ArrayList<>();
        if (config.widths().size() < 2) {
            return out;
        }
        long last = config.steps();
        long first = config.snapshotSteps().get(0);
        for (Map.Entry<Scaling, DistributionAnalysis> e : analyses.entrySet()) {
            DistributionAnalysis a = e.getValue();
            for (String q : List.of("c", "wnorm")) {
                List<String> parts = new ArrayList<>();
                for (int m : config.widths()) {
                    if (m == config.largestWidth()) {
                        continue;
                    }
                    double end = a.row(q, last, m).exactToLargest();
                    double start = a.row(q, first, m).exactToLargest();
                    SamplingFloor f = a.floor(q, m);
                    parts.add(String.format(Locale.ROOT, "N = %d: %s (W1 %s at the end, %s at init; floor %s, 97.5%% "
                                    + "bound %s)", m, f.test(new double[]{end}, new double[]{start}).words(), fmt(end),
                            fmt(start), fmt(f.mean()), fmt(f.upper(1))));
                }
                out.add(String.format(Locale.ROOT, "%s, %s, W1 to N = %d — %s.", e.getKey().label(),
                        UnitSnapshot.axisLabel(q), config.largestWidth(), String.join("; ", parts)));
            }
            List<String> perClass = new ArrayList<>();
            int classes = (int) a.quantities().stream().filter(k -> k.matches("c\\d+")).count();
            for (int m : config.widths()) {
                if (m == config.largestWidth() || classes == 0) {
                    continue;
                }
                Map<SamplingFloor.Verdict, Integer> n = new java.util.EnumMap<>(SamplingFloor.Verdict.class);
                for (int k = 0; k < classes; k++) {
                    String q = "c" + k;
                    SamplingFloor.Verdict v = a.floor(q, m).test(new double[]{a.row(q, last, m).exactToLargest()},
                            new double[]{a.row(q, first, m).exactToLargest()});
                    n.merge(v, 1, Integer::sum);
                }
                perClass.add(String.format(Locale.ROOT, "N = %d: exceeds the floor in %d, within it in %d, not decided "
                                + "(initial units already beyond the floor) in %d", m,
                        n.getOrDefault(SamplingFloor.Verdict.EXCEEDS, 0), n.getOrDefault(SamplingFloor.Verdict.WITHIN, 0),
                        n.getOrDefault(SamplingFloor.Verdict.UNRELIABLE, 0)));
            }
            if (!perClass.isEmpty()) {
                out.add(String.format(Locale.ROOT, "%s, c per class (%d classes), W1 to N = %d — %s.",
                        e.getKey().label(), classes, config.largestWidth(), String.join("; ", perClass)));
            }
        }
        return out;
    }

    /** Four significant digits: 0.01692, 3.300. */
    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    private static void printTable(PrintStream log, List<String> header, List<List<String>> rows) {
        StringBuilder fmt = new StringBuilder("%-11s %-6s %-14s");
        for (int i = 3; i < header.size(); i++) {
            fmt.append(" %10s");
        }
        fmt.append("%n");
        log.printf(Locale.ROOT, fmt.toString(), header.toArray());
        for (List<String> r : rows) {
            log.printf(Locale.ROOT, fmt.toString(), r.toArray());
        }
    }

    /** W1(final, init) of c against N for every scaling, log-log. */
    private static String movementPlot(RunConfig config, Map<Scaling, DistributionAnalysis> analyses, RunOutputs out)
            throws IOException {
        Map<String, double[][]> series = new LinkedHashMap<>();
        for (Map.Entry<Scaling, DistributionAnalysis> e : analyses.entrySet()) {
            for (String q : List.of("c", "wnorm")) {
                double[] xs = new double[config.widths().size()];
                double[] ys = new double[xs.length];
                for (int i = 0; i < xs.length; i++) {
                    xs[i] = config.widths().get(i);
                    ys[i] = Math.max(1e-12, e.getValue().row(q, config.steps(), config.widths().get(i)).histFromInit());
                }
                series.put(e.getKey().label() + " " + q, new double[][]{xs, ys});
            }
        }
        String name = "movement-from-init.png";
        out.lines(name, "How far the unit distribution moved from initialisation", "hidden units N",
                "W1(final, init)", series, true, true);
        return name;
    }
}
