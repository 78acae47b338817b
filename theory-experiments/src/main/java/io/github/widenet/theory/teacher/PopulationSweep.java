package io.github.widenet.theory.teacher;

import io.github.widenet.train.CliErrors;
import io.github.widenet.train.OptionRules;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * The reference's {@code populationSGD.jl}: population loss at convergence against the initial scale τ of a
 * mean-field-scaled student trained by online SGD on fresh samples ({@link PopulationSgd}). Per trial a teacher of m0 = 3
 * unit directions with ±1 output weights in d = 100; per τ a student of m = 50 units initialised at scale τ
 * (symmetrised), step min(0.25/τ², 25), batches of 200 fresh points on the sphere, 20,000 iterations; the population
 * loss at convergence is the mean mini-batch loss over the last 2,000 iterations (the reference sums them and plots the
 * mean over trials divided by its largest value). 10 trials.
 */
@Command(name = "teacher-population", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The reference's populationSGD.jl: population loss at convergence vs the initial scale tau,",
                "online SGD of a 1/m-scaled two-layer ReLU student on fresh samples from a teacher."},
        footer = {"", "Defaults are the reference's: d = 100, m0 = 3, m = 50, 17 tau values, step min(0.25/tau^2, 25), "
                + "batch 200, 20000 iterations, loss averaged over the last 2000, 10 trials (resumable per trial and "
                + "tau; --threads 2 uses both cores).",
                "--quick: 3000 iterations, average over the last 1000, 3 trials (a few minutes)."})
public final class PopulationSweep extends TeacherCommand {

    /** The reference's scales: 0.01, 0.02, 0.04, 10^(−1:0.1:0), 2, 4, 8. */
    static final List<Double> REFERENCE_TAUS;

    static {
        List<Double> t = new ArrayList<>(List.of(0.01, 0.02, 0.04));
        for (int k = -10; k <= 0; k++) {
            t.add(Math.round(Math.pow(10, k / 10.0) * 1e12) / 1e12);
        }
        t.addAll(List.of(2.0, 4.0, 8.0));
        REFERENCE_TAUS = List.copyOf(t);
    }

    /** One run (trial, τ). */
    public record Run(int trial, double tau, double step, int iterations, double finalLoss, double previousLoss,
                      boolean converged, boolean diverged, double seconds, double zeroLoss) {
    }

    /** Points on which the zero function's population loss (1/2)E y² is estimated, per trial. */
    static final int ZERO_LOSS_POINTS = 100_000;

    /** (1/2)E y² of trial {@code trial}'s teacher, on fresh points of a generator of its own. */
    double zeroLoss(Teacher teacher, int trial) {
        PopulationSgd sgd = new PopulationSgd(teacher, teacherFactor);
        SplittableRandom rng = new SplittableRandom(seed * 15_485_863L + trial);
        double s = 0;
        for (int done = 0; done < ZERO_LOSS_POINTS; done += 1000) {
            for (double y : sgd.targets(sgd.batch(1000, rng), 1000)) {
                s += y * y;
            }
        }
        return s / (2.0 * ZERO_LOSS_POINTS);
    }

    /** τ with at most 4 significant digits. */
    static String tau(double t) {
        return new java.math.BigDecimal(t).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    @Option(names = "--dim", defaultValue = "100", description = "input dimension d (default: ${DEFAULT-VALUE})")
    int dim;
    @Option(names = "--teacher-units", defaultValue = "3", description = "teacher units m0 (default: ${DEFAULT-VALUE})")
    int teacherUnits;
    @Option(names = "--units", defaultValue = "50", description = "student units m, even (default: ${DEFAULT-VALUE})")
    int units;
    @Option(names = "--taus", split = ",", description = "initial scales tau (default: the reference's 0.01,0.02,0.04,"
            + "10^(-1:0.1:0),2,4,8)")
    List<Double> taus;
    @Option(names = "--step-constant", defaultValue = "0.25", description = "c in the step min(cap, c/tau^2) (default: ${DEFAULT-VALUE})")
    double stepConstant;
    @Option(names = "--step-cap", defaultValue = "25", description = "largest step (default: ${DEFAULT-VALUE})")
    double stepCap;
    @Option(names = "--batch-size", defaultValue = "200", description = "fresh points per iteration (default: ${DEFAULT-VALUE})")
    int batchSize;
    @Option(names = "--teacher-factor", description = "teacher outputs multiplied by (default: 1/batch size, as the "
            + "reference divides the teacher's output by the batch size)")
    Double teacherFactor;
    @Option(names = "--iterations", description = "SGD iterations (default: 20000; --quick 3000)")
    Integer iterations;
    @Option(names = "--average-last", description = "iterations whose mini-batch losses are averaged (default: 2000; "
            + "--quick 1000)")
    Integer averageLast;
    @Option(names = "--tolerance", defaultValue = "0.05", description = "converged when the averaged loss differs from "
            + "that of the window before by at most this fraction (default: ${DEFAULT-VALUE})")
    double tolerance;
    @Option(names = "--seeds", description = "trials: teacher and inits (default: 10; --quick 3)")
    Integer seeds;
    @Option(names = "--quick", description = "for the options not given: 3000 iterations, average over the last 1000, 3 trials")
    boolean quick;

    public static void main(String[] args) {
        System.exit(CliErrors.execute(new PopulationSweep(), args));
    }

    @Override
    public String taskDescription() {
        return "one population-SGD run: trial x tau";
    }

    @Override
    void applyDefaults() {
        if (taus == null) {
            taus = REFERENCE_TAUS;
        }
        if (teacherFactor == null) {
            teacherFactor = 1.0 / batchSize;
        }
        if (iterations == null) {
            iterations = quick ? 3000 : 20000;
        }
        if (averageLast == null) {
            averageLast = quick ? 1000 : 2000;
        }
        if (seeds == null) {
            seeds = quick ? 3 : 10;
        }
    }

    @Override
    void validate() {
        OptionRules.require(dim >= 1, "--dim", dim, "must be >= 1");
        OptionRules.require(teacherUnits >= 1, "--teacher-units", teacherUnits, "must be >= 1");
        OptionRules.require(units >= 2 && units % 2 == 0, "--units", units, "must be even and >= 2");
        OptionRules.require(!taus.isEmpty(), "--taus", taus, "give at least one");
        for (double t : taus) {
            OptionRules.require(t > 0 && Double.isFinite(t), "--taus", t, "every tau must be finite and > 0");
        }
        OptionRules.require(taus.stream().distinct().count() == taus.size(), "--taus", taus, "must be distinct");
        OptionRules.require(stepConstant > 0 && Double.isFinite(stepConstant), "--step-constant", stepConstant, "must be finite and > 0");
        OptionRules.require(stepCap > 0 && Double.isFinite(stepCap), "--step-cap", stepCap, "must be finite and > 0");
        OptionRules.require(batchSize >= 1, "--batch-size", batchSize, "must be >= 1");
        OptionRules.require(Double.isFinite(teacherFactor), "--teacher-factor", teacherFactor, "must be finite");
        OptionRules.require(iterations >= 2, "--iterations", iterations, "must be >= 2");
        OptionRules.require(averageLast >= 1 && 2L * averageLast <= iterations, "--average-last", averageLast,
                "must be between 1 and half of --iterations " + iterations + " (the window before is compared)");
        OptionRules.require(tolerance >= 0 && Double.isFinite(tolerance), "--tolerance", tolerance, "must be finite and >= 0");
        OptionRules.require(seeds >= 1, "--seeds", seeds, "must be >= 1");
        OptionRules.require(threads >= 1, "--threads", threads, "must be >= 1");
    }

    double stepFor(double tau) {
        return Math.min(stepCap, stepConstant / (tau * tau));
    }

    Map<String, Object> options() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dim", dim);
        m.put("teacherUnits", teacherUnits);
        m.put("units", units);
        m.put("taus", taus);
        m.put("step", "min(" + PathsExperiment.plain(stepCap) + ", " + PathsExperiment.plain(stepConstant) + "/tau^2)");
        m.put("batchSize", batchSize);
        m.put("teacherFactor", teacherFactor);
        m.put("iterations", iterations);
        m.put("averageLast", averageLast);
        m.put("criterion", "mean loss of the last " + averageLast + " iterations within " + tolerance
                + " of that of the " + averageLast + " before");
        m.put("inputs", "uniform on the unit sphere, fresh every iteration");
        m.put("seeds", seeds);
        m.put("seed", seed);
        return m;
    }

    @Override
    public Integer call() throws IOException {
        CheckpointStore store = start();
        RunManifest manifest = new RunManifest("teacher-population", options(), seed);
        log.printf(Locale.ROOT, "populationSGD.jl: d=%d, teacher m0=%d (outputs x%.4g), student m=%d, %d tau values in "
                        + "[%.4g, %.4g], step min(%g, %g/tau^2), batch %d, %d iterations, mean of the last %d, %d trials, "
                        + "%d thread(s)%n", dim, teacherUnits, teacherFactor, units, taus.size(),
                taus.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                taus.stream().mapToDouble(Double::doubleValue).max().orElseThrow(), stepCap, stepConstant, batchSize,
                iterations, averageLast, seeds, threads);
        List<Run> runs = runTasks(tasks(store), store);
        finishProgress();
        write(runs, manifest);
        return 0;
    }

    /** One task per (trial, τ), trial-major. */
    @Override
    Map<String, ParallelTasks.Task<Run>> tasks(CheckpointStore store) {
        progress("tau sweep (population SGD)", (long) seeds * taus.size() * iterations);
        Map<String, ParallelTasks.Task<Run>> work = new LinkedHashMap<>();
        for (int t = 0; t < seeds; t++) {
            int trial = t;
            Teacher teacher = Teacher.random(teacherUnits, dim, new Random(seed * 1_000_003L + trial));
            for (int j = 0; j < taus.size(); j++) {
                int index = j;
                double tau = taus.get(j);
                String task = String.format(Locale.ROOT, "trial=%d,tau=%.6g", trial, tau);
                work.put(task, () -> recordedOrTrained(store, task, Run.class, iterations, Run::finalLoss,
                        advance -> train(task, teacher, trial, index, tau, advance)));
            }
        }
        return work;
    }

    /** Trains task (trial, τ) from its own initialisation and sample stream. */
    private Run train(String task, Teacher teacher, int trial, int index, double tau, Advance advance) {
        long start = System.nanoTime();
        double[][] u = PopulationSgd.init(units, dim, tau, new Random(seed * 7_919L + 1_000_003L * trial + 2L * index + 1));
        double[] val = new PopulationSgd(teacher, teacherFactor).run(u, stepFor(tau), batchSize, iterations,
                new SplittableRandom(seed * 104_729L + 131L * trial + index),
                it -> advance.by(500, 500L * batchSize),
                () -> StopSignal.check("teacher-population", out, "during task " + task
                        + " (its iterations are discarded)"));
        double last = mean(val, iterations - averageLast, iterations);
        double before = mean(val, iterations - 2 * averageLast, iterations - averageLast);
        boolean diverged = !Double.isFinite(last);
        return new Run(trial, tau, stepFor(tau), iterations, last, before,
                !diverged && Math.abs(before - last) <= tolerance * last, diverged,
                (System.nanoTime() - start) / 1e9, zeroLoss(teacher, trial));
    }

    static double mean(double[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += v[i];
        }
        return s / (to - from);
    }

    private TInterval at(List<Run> runs, double tau) {
        return TInterval.of(runs.stream().filter(r -> r.tau() == tau).mapToDouble(Run::finalLoss).toArray());
    }

    /** Per τ over trials: the loss (95% t-interval), the loss over the zero function's, and the largest mean. */
    private record Estimates(double[] xs, TInterval[] loss, TInterval[] relative, double max) {
    }

    private void write(List<Run> runs, RunManifest manifest) throws IOException {
        results.csv("runs.csv", runsTable(runs));
        Estimates e = estimates(runs);
        CsvTable summary = summaryTable(runs, e);
        results.csv("summary.csv", summary);
        plot(runs, e.xs(), e.loss(), e.max());
        MarkdownReport md = new MarkdownReport()
                .heading(1, "Population loss at convergence vs initial scale τ (populationSGD.jl)")
                .paragraph("Options: `" + options() + "`.")
                .paragraph(setupSentences())
                .paragraph(lossSentences(e))
                .paragraph(zeroFunctionSentences(e))
                .paragraph(convergenceSentences(runs))
                .image("population loss vs tau", "plots/population-loss-vs-tau.png")
                .heading(2, "Per τ (over trials)").table(summary)
                .paragraph("All runs: `runs.csv`. Compute: " + String.format(Locale.ROOT, "%.0f s",
                        runs.stream().mapToDouble(Run::seconds).sum()) + " summed over runs.");
        results.report(md);
        manifest.put("runs", runs);
        manifest.put("computeSeconds", runs.stream().mapToDouble(Run::seconds).sum());
        results.manifest(manifest);
        for (int i = 0; i < e.xs().length; i++) {
            log.printf(Locale.ROOT, "tau=%-8.4g step %-8.4g loss %s%n", e.xs()[i], stepFor(e.xs()[i]),
                    e.loss()[i].text("%.4g"));
        }
        log.println(results.wrote());
    }

    private static CsvTable runsTable(List<Run> runs) {
        CsvTable table = new CsvTable("trial", "tau", "step", "iterations", "population_loss_last_window",
                "population_loss_window_before", "converged", "diverged", "seconds", "zero_function_loss");
        for (Run r : runs) {
            table.add(r.trial(), r.tau(), r.step(), r.iterations(), r.finalLoss(), r.previousLoss(), r.converged(),
                    r.diverged(), r.seconds(), r.zeroLoss());
        }
        return table;
    }

    private Estimates estimates(List<Run> runs) {
        int k = taus.size();
        double[] xs = taus.stream().mapToDouble(Double::doubleValue).toArray();
        TInterval[] est = new TInterval[k];
        TInterval[] rel = new TInterval[k];
        double max = 0;
        for (int i = 0; i < k; i++) {
            double tau = xs[i];
            est[i] = at(runs, tau);
            if (Double.isFinite(est[i].mean())) {
                max = Math.max(max, est[i].mean());
            }
            rel[i] = TInterval.of(runs.stream().filter(r -> r.tau() == tau).mapToDouble(r -> r.finalLoss() / r.zeroLoss())
                    .toArray());
        }
        return new Estimates(xs, est, rel, max);
    }

    private CsvTable summaryTable(List<Run> runs, Estimates e) {
        CsvTable summary = new CsvTable("tau", "step", "loss_mean", "ci_low", "ci_high", "normalised_mean",
                "normalised_ci_low", "normalised_ci_high", "loss_over_zero_function_mean", "converged");
        double max = e.max();
        for (int i = 0; i < e.xs().length; i++) {
            double tau = e.xs()[i];
            TInterval est = e.loss()[i];
            summary.add(tau(tau), WidthSweep.g(stepFor(tau)), WidthSweep.g(est.mean()),
                    WidthSweep.g(est.low()), WidthSweep.g(est.high()), WidthSweep.g(est.mean() / max),
                    WidthSweep.g(est.low() / max), WidthSweep.g(est.high() / max), WidthSweep.g(e.relative()[i].mean()),
                    runs.stream().filter(r -> r.tau() == tau && r.converged()).count() + "/"
                            + runs.stream().filter(r -> r.tau() == tau).count());
        }
        return summary;
    }

    private String setupSentences() {
        return Teacher.asTheReference(teacherUnits) + String.format(Locale.ROOT, " "
                        + "in d = %d, its output multiplied by %.4g (the reference divides it by "
                        + "the batch size); per τ a student h = (1/m)Σ w_i max(θ_i·x, 0) of m = %d units, θ and w "
                        + "drawn τ·N(0, 1) and symmetrised (h = 0 at the start), online SGD on %d fresh points on "
                        + "the sphere per iteration with step s = min(%s, %s/τ²) on w and s·d on θ, %d iterations. "
                        + "Population loss at convergence: the mean mini-batch loss of the last %d iterations "
                        + "(each measured before its update on fresh points, so an unbiased estimate). Trials "
                        + "(seeds) %s, base seed %d.", dim, teacherFactor, units, batchSize,
                PathsExperiment.plain(stepCap), PathsExperiment.plain(stepConstant), iterations, averageLast,
                seedList(), seed);
    }

    private String lossSentences(Estimates e) {
        TInterval[] est = e.loss();
        double[] xs = e.xs();
        int lo = 0;
        int hi = 0;
        for (int i = 0; i < xs.length; i++) {
            if (est[i].mean() < est[lo].mean()) {
                lo = i;
            }
            if (est[i].mean() > est[hi].mean()) {
                hi = i;
            }
        }
        int last = xs.length - 1;
        return String.format(Locale.ROOT, "Means over %d trials with 95%% t-intervals: at τ = %s the loss is "
                        + "%s; at τ = %s it is %s. The smallest mean is at τ = %s (%s), the largest at τ = %s "
                        + "(%s), %.3g× the smallest. The plot divides by the largest mean, as the reference's.",
                seeds, tau(xs[0]), est[0].text("%.4g"), tau(xs[last]),
                est[last].text("%.4g"), tau(xs[lo]), est[lo].text("%.4g"), tau(xs[hi]),
                est[hi].text("%.4g"), est[hi].mean() / est[lo].mean());
    }

    private static String zeroFunctionSentences(Estimates e) {
        double[] xs = e.xs();
        TInterval[] rel = e.relative();
        int last = xs.length - 1;
        return String.format(Locale.ROOT, "Relative to the zero function's population loss (1/2)E y² "
                        + "(%,d fresh points per trial; the student starts at h = 0): %s at τ = %s, %s at τ = %s. "
                        + "%s", ZERO_LOSS_POINTS, rel[0].text("%.3g"), tau(xs[0]), rel[last].text("%.3g"),
                tau(xs[last]), nearZero(xs, rel));
    }

    private String convergenceSentences(List<Run> runs) {
        long conv = runs.stream().filter(Run::converged).count();
        List<Double> open = runs.stream().filter(r -> !r.converged()).map(Run::tau).distinct().sorted().toList();
        return String.format(Locale.ROOT, "Convergence criterion (ours): the mean loss of the last %d "
                        + "iterations is within %s of the mean of the %d before. %d of %d runs met it%s.",
                averageLast, PathsExperiment.plain(tolerance), averageLast, conv, runs.size(),
                open.isEmpty() ? "" : "; the others are at τ ∈ " + open.stream().map(PopulationSweep::tau).toList());
    }

    /** The τ at which the mean loss is at least 90 % of the zero function's (the student barely moved from h = 0). */
    private static String nearZero(double[] xs, TInterval[] rel) {
        List<String> at = new ArrayList<>();
        for (int i = 0; i < xs.length; i++) {
            if (rel[i].mean() >= 0.9) {
                at.add(tau(xs[i]));
            }
        }
        return at.isEmpty() ? "At no τ is the mean loss within 10 % of the zero function's."
                : "At τ ∈ " + at + " the mean loss is at least 90 % of the zero function's: within the budget the "
                + "student has barely moved from h = 0 there (so a small change between windows does not mean it "
                + "reached a minimum).";
    }

    private String seedList() {
        return java.util.stream.IntStream.range(0, seeds).mapToObj(Integer::toString)
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private void plot(List<Run> runs, double[] xs, TInterval[] est, double max) throws IOException {
        double[] mean = new double[xs.length];
        double[] low = new double[xs.length];
        double[] high = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            mean[i] = est[i].mean() / max;
            low[i] = Double.isFinite(est[i].low()) ? est[i].low() / max : mean[i];
            high[i] = Double.isFinite(est[i].high()) ? est[i].high() / max : mean[i];
        }
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put("mean of " + seeds + " trials / largest mean", new double[][]{xs, mean});
        XYChart chart = Plots.lineChart("Population loss at convergence vs initial scale tau (populationSGD.jl)",
                "tau", "population loss / largest mean", series, true, false, 900, 600);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        Color c = new Color(0, 114, 178);
        for (double[] band : new double[][]{low, high}) {
            XYSeries s = chart.addSeries(band == low ? "95% t-interval" : "95% t-interval (upper)", xs, band);
            s.setLineColor(new Color(213, 94, 0));
            s.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{6f, 4f}, 0f));
            s.setMarker(SeriesMarkers.NONE);
            s.setShowInLegend(band == low);
        }
        List<Run> ok = runs.stream().filter(r -> Double.isFinite(r.finalLoss())).toList();
        if (!ok.isEmpty()) {
            XYSeries dots = chart.addSeries("trials", ok.stream().mapToDouble(Run::tau).toArray(),
                    ok.stream().mapToDouble(r -> r.finalLoss() / max).toArray());
            dots.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            dots.setMarker(SeriesMarkers.CIRCLE);
            dots.setMarkerColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 90));
        }
        chart.getStyler().setMarkerSize(5);
        results.plot("population-loss-vs-tau.png", List.of(chart), 1, 1);
    }
}
