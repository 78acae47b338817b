package io.github.widenet.theory.teacher;

import io.github.widenet.report.CsvTable;
import io.github.widenet.report.MarkdownReport;
import io.github.widenet.report.Plots;
import io.github.widenet.report.RunManifest;
import io.github.widenet.train.CheckpointStore;
import io.github.widenet.train.StopSignal;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * {@code teacher-width --protocol reference}: the reference's {@code test_vs_m.jl} (see {@link WidthSweep}). One task
 * per (trial, scaling, m), resumable; the trials' problems are drawn as {@link Problem#generate} draws them (teacher,
 * then training, then test points on the sphere) with the labels multiplied by {@code --label-scale}.
 */
final class WidthReference {

    static final String NTK = "1/sqrt(m)";
    static final String MF = "1/m";

    /** One run: the settings and {@link ReferenceGd.Outcome}'s numbers. */
    public record Run(String scaling, int units, int trial, double learningRate, int budget, int iterations,
                      double trainLoss, double testLoss, double zeroTrainLoss, int convergedAt, boolean converged,
                      double trainFall, double testFall, boolean diverged, double seconds) {
    }

    private final WidthSweep o;

    WidthReference(WidthSweep options) {
        this.o = options;
    }

    static double scaling(String name, int m) {
        return name.equals(NTK) ? 1 / Math.sqrt(m) : 1.0 / m;
    }

    double learningRate(String name, int m) {
        return ReferenceGd.learningRate(scaling(name, m), m, name.equals(NTK) ? o.ntkStep : o.mfStep);
    }

    /** Trial t's problem: teacher, training and test points on the sphere, labels × label scale. */
    Problem problem(int trial) {
        Problem p = Problem.generate(o.dim, o.teacherUnits, o.nTrain, o.nTest, o.seed * 1_000_003L + trial);
        return new Problem(p.teacher(), p.trainX(), WidthSweep.scaled(p.trainY(), o.labelScale), p.testX(),
                WidthSweep.scaled(p.testY(), o.labelScale));
    }

    /** The initial weights of one run, N(0, 1), from a generator of its own (trial, scaling, m). */
    double[][] init(int trial, String scaling, int m) {
        return ReferenceGd.gaussianInit(m, o.dim,
                new Random(o.seed * 7_919L + 1_000_003L * trial + 2L * m + (scaling.equals(MF) ? 1 : 0)));
    }

    ReferenceGd.Criterion criterion() {
        return new ReferenceGd.Criterion(Math.toIntExact(o.window), o.tolerance, o.fitFloor);
    }

    /** Prints the settings, runs the units through {@code o}'s machinery and writes the report. */
    void run(CheckpointStore store) throws IOException {
        RunManifest manifest = new RunManifest("teacher-width", o.options(), o.seed);
        o.log.printf(Locale.ROOT, "reference protocol (test_vs_m.jl): d=%d, teacher m0=%d (outputs x%s), n=%d train / %d "
                        + "test on the sphere, widths %s, %d GD iterations, steps %s/m (1/sqrt m) and %s/m (1/m), %d "
                        + "trials, %d thread(s)%n", o.dim, o.teacherUnits, PathsExperiment.plain(o.labelScale), o.nTrain,
                o.nTest, o.widths, o.iterations, PathsExperiment.plain(o.ntkStep), PathsExperiment.plain(o.mfStep),
                o.seeds, o.threads);
        List<Run> runs = o.runTasks(tasks(store), store);
        o.finishProgress();
        write(runs, manifest);
    }

    /** One task per (trial, scaling, m), trial-major; a trial's problem is drawn once, by its first task to run. */
    java.util.Map<String, ParallelTasks.Task<Run>> tasks(CheckpointStore store) {
        long perTrial = 0;
        for (int m : o.widths) {
            perTrial += 2L * m;
        }
        // progress in units of m·iterations (a run's cost is proportional to m)
        o.progress("width sweep (reference)", perTrial * o.seeds * o.iterations);
        java.util.Map<String, ParallelTasks.Task<Run>> tasks = new LinkedHashMap<>();
        for (int t = 0; t < o.seeds; t++) {
            int trial = t;
            java.util.function.Supplier<ReferenceGd> gd = TeacherCommand.once(() -> problem(trial).referenceGd());
            for (String scaling : List.of(NTK, MF)) {
                for (int m : o.widths) {
                    String task = String.format(Locale.ROOT, "ref,%s,m=%d,trial=%d", scaling.equals(NTK) ? "ntk" : "mf",
                            m, trial);
                    tasks.put(task, () -> o.recordedOrTrained(store, task, Run.class, (long) m * o.iterations,
                            Run::testLoss, advance -> train(task, gd.get(), trial, scaling, m, advance)));
                }
            }
        }
        return tasks;
    }

    private Run train(String task, ReferenceGd g, int trial, String scaling, int m, TeacherCommand.Advance advance) {
        double eta = learningRate(scaling, m);
        ReferenceGd.Outcome x = g.run(init(trial, scaling, m), scaling(scaling, m), eta, o.iterations, o.evalEvery,
                criterion(), o.stopAtConvergence,
                it -> {
                    if (it % 100 == 0) {
                        advance.by(100L * m, 0);
                    }
                },
                () -> StopSignal.check("teacher-width", o.out, "during task " + task + " (its iterations are discarded)"));
        return new Run(scaling, m, trial, eta, o.iterations, x.iterations(), x.trainLoss(), x.testLoss(),
                x.zeroTrainLoss(), x.convergedAt(), x.convergedAtEnd(), x.trainFall(), x.testFall(), x.diverged(),
                x.seconds());
    }

    private double[] values(List<Run> runs, String scaling, int m, java.util.function.ToDoubleFunction<Run> f) {
        return runs.stream().filter(r -> r.scaling().equals(scaling) && r.units() == m).mapToDouble(f).toArray();
    }

    private void write(List<Run> runs, RunManifest manifest) throws IOException {
        o.results.csv("runs.csv", runsTable(runs));
        List<Integer> widths = o.widths;
        double[] ms = widths.stream().mapToDouble(Integer::doubleValue).toArray();
        double[] ntkMean = new double[ms.length];
        double[] mfMean = new double[ms.length];
        CsvTable summary = summaryTable(runs, ntkMean, mfMean);
        o.results.csv("summary.csv", summary);
        plot(runs, ms, ntkMean, mfMean);
        MarkdownReport md = new MarkdownReport()
                .heading(1, "Teacher-student (iii), reference protocol (test_vs_m.jl): test loss vs number of units")
                .paragraph("Options: `" + o.options() + "`.")
                .paragraph(setupSentences())
                .paragraph(lossSentences(runs))
                .paragraph(convergenceSentences(runs))
                .image("test loss vs m", "plots/test-loss-vs-m.png")
                .heading(2, "Per width (over trials)").table(summary)
                .paragraph("All runs, with the iteration at which the criterion first held and the relative falls of "
                        + "the train and test losses over the last window: `runs.csv`. Compute: " + String.format(
                        Locale.ROOT, "%.0f s", runs.stream().mapToDouble(Run::seconds).sum()) + " summed over runs.");
        o.results.report(md);
        manifest.put("runs", runs);
        manifest.put("computeSeconds", runs.stream().mapToDouble(Run::seconds).sum());
        o.results.manifest(manifest);
        for (int i = 0; i < ms.length; i++) {
            o.log.printf(Locale.ROOT, "m=%-5d test loss 1/sqrt(m) %.5g  1/m %.5g%n", widths.get(i), ntkMean[i], mfMean[i]);
        }
        o.log.println(o.results.wrote());
    }

    private static CsvTable runsTable(List<Run> runs) {
        CsvTable table = new CsvTable("scaling", "units", "trial", "learning_rate", "budget", "iterations",
                "final_train_loss", "final_test_loss", "zero_function_train_loss", "converged_at", "converged",
                "train_fall_last_window", "test_fall_last_window", "diverged", "seconds");
        for (Run r : runs) {
            table.add(r.scaling(), r.units(), r.trial(), r.learningRate(), r.budget(), r.iterations(), r.trainLoss(),
                    r.testLoss(), r.zeroTrainLoss(), r.convergedAt(), r.converged(), r.trainFall(), r.testFall(),
                    r.diverged(), r.seconds());
        }
        return table;
    }

    /** Per width over trials, both scalings and their paired difference; fills the two means per width. */
    private CsvTable summaryTable(List<Run> runs, double[] ntkMean, double[] mfMean) {
        CsvTable summary = new CsvTable("units", "ntk_test_mean", "ntk_ci_low", "ntk_ci_high", "ntk_train_mean",
                "ntk_converged", "mf_test_mean", "mf_ci_low", "mf_ci_high", "mf_train_mean", "mf_converged",
                "difference_ntk_minus_mf", "difference_ci_low", "difference_ci_high");
        for (int i = 0; i < o.widths.size(); i++) {
            int m = o.widths.get(i);
            TInterval a = TInterval.of(values(runs, NTK, m, Run::testLoss));
            TInterval b = TInterval.of(values(runs, MF, m, Run::testLoss));
            TInterval diff = paired(runs, m);
            ntkMean[i] = a.mean();
            mfMean[i] = b.mean();
            summary.add(m, WidthSweep.g(a.mean()), WidthSweep.g(a.low()), WidthSweep.g(a.high()),
                    WidthSweep.g(TInterval.of(values(runs, NTK, m, Run::trainLoss)).mean()), converged(runs, NTK, m),
                    WidthSweep.g(b.mean()), WidthSweep.g(b.low()), WidthSweep.g(b.high()),
                    WidthSweep.g(TInterval.of(values(runs, MF, m, Run::trainLoss)).mean()), converged(runs, MF, m),
                    WidthSweep.g(diff.mean()), WidthSweep.g(diff.low()), WidthSweep.g(diff.high()));
        }
        return summary;
    }

    private String setupSentences() {
        return Teacher.asTheReference(o.teacherUnits) + String.format(Locale.ROOT, " "
                        + "and outputs ×%s, %d training and %d test points uniform on the sphere "
                        + "in d = %d; students h = α Σ c_i max(w_i·x, 0) with every weight N(0, 1) (no "
                        + "symmetrisation, no bias), full-batch GD on L = (1/2n)Σ(h − y)² for %d iterations with "
                        + "the reference step s = c/m, i.e. learning rate %s on L for α = 1/√m and %s·m for "
                        + "α = 1/m. The number shown is the test loss at the last iteration (the reference plots it "
                        + "×0.1). Trials (seeds) %s, base seed %d.",
                PathsExperiment.plain(o.labelScale), o.nTrain, o.nTest, o.dim, o.iterations,
                PathsExperiment.plain(o.ntkStep), PathsExperiment.plain(o.mfStep), o.seedList(), o.seed);
    }

    private String lossSentences(List<Run> runs) {
        int mFirst = o.widths.get(0);
        int mLast = o.widths.get(o.widths.size() - 1);
        TInterval diffLast = paired(runs, mLast);
        return String.format(Locale.ROOT, "Test loss, means over %d trials with 95%% t-intervals. Scaling "
                        + "1/√m: %s at m = %d, %s at m = %d. Scaling 1/m: %s at m = %d, %s at m = %d. At m = %d "
                        + "the 1/√m students' test loss minus the 1/m students' on the same trial is %s (%s).",
                o.seeds, TInterval.of(values(runs, NTK, mFirst, Run::testLoss)).text("%.4g"), mFirst,
                TInterval.of(values(runs, NTK, mLast, Run::testLoss)).text("%.4g"), mLast,
                TInterval.of(values(runs, MF, mFirst, Run::testLoss)).text("%.4g"), mFirst,
                TInterval.of(values(runs, MF, mLast, Run::testLoss)).text("%.4g"), mLast, mLast, diffLast.text("%.4g"),
                diffLast.count() < 2 ? "no interval" : diffLast.low() > 0 ? "the interval excludes 0: 1/m generalises better"
                        : diffLast.high() < 0 ? "the interval excludes 0: 1/√m generalises better"
                        : "the interval contains 0");
    }

    private String convergenceSentences(List<Run> runs) {
        return String.format(Locale.ROOT, "Convergence criterion (ours; the reference runs a fixed budget): "
                        + "the training loss fell by at most %s of itself over the last %d iterations, or is below "
                        + "%s of the zero function's training loss. %d of %d runs met it at their last iteration "
                        + "(1/√m: %d of %d, 1/m: %d of %d); %d diverged. %s", PathsExperiment.plain(o.tolerance),
                o.window, PathsExperiment.plain(o.fitFloor), runs.stream().filter(Run::converged).count(), runs.size(),
                runs.stream().filter(r -> r.converged() && r.scaling().equals(NTK)).count(),
                runs.stream().filter(r -> r.scaling().equals(NTK)).count(),
                runs.stream().filter(r -> r.converged() && r.scaling().equals(MF)).count(),
                runs.stream().filter(r -> r.scaling().equals(MF)).count(),
                runs.stream().filter(Run::diverged).count(), unconverged(runs));
    }

    /** Which widths have unconverged runs, with the largest remaining relative fall of their test loss. */
    private String unconverged(List<Run> runs) {
        List<String> parts = new ArrayList<>();
        for (String s : List.of(NTK, MF)) {
            List<Run> open = runs.stream().filter(r -> r.scaling().equals(s) && !r.converged() && !r.diverged()).toList();
            if (!open.isEmpty()) {
                double[] falls = open.stream().mapToDouble(Run::testFall).filter(Double::isFinite).sorted().toArray();
                String fall = falls.length == 0 ? "" : String.format(Locale.ROOT, "; over the last window their test "
                                + "loss fell by a median %.3g and at most %.3g of its final value",
                        falls.length % 2 == 1 ? falls[falls.length / 2]
                                : (falls[falls.length / 2 - 1] + falls[falls.length / 2]) / 2, falls[falls.length - 1]);
                parts.add(String.format(Locale.ROOT, "%d unconverged %s runs, at m ∈ %s%s", open.size(),
                        s.equals(NTK) ? "1/√m" : "1/m", open.stream().map(Run::units).distinct().sorted().toList(), fall));
            }
        }
        return parts.isEmpty() ? "" : String.join(". ", parts) + ".";
    }

    private String converged(List<Run> runs, String scaling, int m) {
        return runs.stream().filter(r -> r.scaling().equals(scaling) && r.units() == m && r.converged()).count() + "/"
                + runs.stream().filter(r -> r.scaling().equals(scaling) && r.units() == m).count();
    }

    /** Per-trial difference test loss(1/√m) − test loss(1/m) at width m (same data), with its t-interval. */
    private TInterval paired(List<Run> runs, int m) {
        double[] d = new double[o.seeds];
        for (int t = 0; t < o.seeds; t++) {
            int trial = t;
            double a = runs.stream().filter(r -> r.scaling().equals(NTK) && r.units() == m && r.trial() == trial)
                    .mapToDouble(Run::testLoss).findFirst().orElse(Double.NaN);
            double b = runs.stream().filter(r -> r.scaling().equals(MF) && r.units() == m && r.trial() == trial)
                    .mapToDouble(Run::testLoss).findFirst().orElse(Double.NaN);
            d[t] = a - b;
        }
        return TInterval.of(d);
    }

    private static final Color[] COLOURS = {new Color(0, 114, 178), new Color(213, 94, 0)};

    /** Mean test loss per scaling (lines) and every trial (dots of the same colour, left out of the legend). */
    private void plot(List<Run> runs, double[] ms, double[] ntkMean, double[] mfMean) throws IOException {
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put("scaling 1/sqrt(m), lr " + PathsExperiment.plain(o.ntkStep) + ": mean of " + o.seeds,
                new double[][]{ms, finite(ntkMean)});
        series.put("scaling 1/m, lr " + PathsExperiment.plain(o.mfStep) + "*m: mean of " + o.seeds,
                new double[][]{ms, finite(mfMean)});
        XYChart chart = Plots.lineChart("Test loss at the end of training vs width (test_vs_m.jl protocol)",
                "units m", "test loss (1/2n) sum (h - y)^2", series, true, false, 900, 600);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        int k = 0;
        for (String s : List.of(NTK, MF)) {
            List<Run> rs = runs.stream().filter(r -> r.scaling().equals(s) && Double.isFinite(r.testLoss())).toList();
            if (rs.isEmpty()) {
                k++;
                continue;
            }
            double[] xs = rs.stream().mapToDouble(r -> r.units() * (s.equals(NTK) ? 0.97 : 1.03)).toArray();
            double[] ys = rs.stream().mapToDouble(Run::testLoss).toArray();
            XYSeries dots = chart.addSeries(s + " trials", xs, ys);
            dots.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            dots.setMarker(SeriesMarkers.CIRCLE);
            Color c = COLOURS[k++];
            dots.setMarkerColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 110));
            dots.setShowInLegend(false);
        }
        chart.getStyler().setMarkerSize(5);
        o.results.plot("test-loss-vs-m.png", List.of(chart), 1, 1);
    }

    private static double[] finite(double[] v) {
        double[] p = v.clone();
        for (int i = 0; i < p.length; i++) {
            if (!Double.isFinite(p[i])) {
                p[i] = 0;
            }
        }
        return p;
    }
}
