package io.github.widenet.theory.teacher;

import io.github.widenet.report.CsvTable;
import io.github.widenet.report.MarkdownReport;
import io.github.widenet.report.Plots;
import io.github.widenet.report.RunManifest;
import io.github.widenet.report.RunOutputs;

import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Outputs of the scale sweep: {@code runs.csv}, {@code kernel.csv}, {@code summary.csv} (per τ: mean, min, max over
 * seeds), plots of the test loss and of κ against τ, {@code report.md} whose sentences are computed from these numbers,
 * and {@code manifest.json}.
 */
final class ScaleReport {

    private final RunOutputs out;
    private final Map<String, Object> options;
    private final double[] taus;
    private final List<ScaleResult> runs;
    private final List<KernelResult> kernels;
    private final PrintStream log;

    ScaleReport(RunOutputs out, Map<String, Object> options, double[] taus, List<ScaleResult> runs, List<KernelResult> kernels,
                PrintStream log) {
        this.out = out;
        this.options = options;
        this.taus = taus;
        this.runs = runs;
        this.kernels = kernels;
        this.log = log;
    }

    /** Mean, min and max of a statistic over the seeds at each τ. */
    record Band(double[] mean, double[] min, double[] max) {
    }

    Band band(java.util.function.ToDoubleFunction<ScaleResult> f) {
        double[] mean = new double[taus.length];
        double[] min = new double[taus.length];
        double[] max = new double[taus.length];
        for (int i = 0; i < taus.length; i++) {
            double sum = 0;
            int n = 0;
            min[i] = Double.POSITIVE_INFINITY;
            max[i] = Double.NEGATIVE_INFINITY;
            for (ScaleResult r : runs) {
                if (Math.abs(r.tau() - taus[i]) <= 1e-9 * taus[i]) {
                    double v = f.applyAsDouble(r);
                    if (Double.isNaN(v)) {
                        continue;
                    }
                    sum += v;
                    n++;
                    min[i] = Math.min(min[i], v);
                    max[i] = Math.max(max[i], v);
                }
            }
            mean[i] = n == 0 ? Double.NaN : sum / n;
        }
        return new Band(mean, min, max);
    }

    static double mean(List<KernelResult> ks, java.util.function.ToDoubleFunction<KernelResult> f) {
        return ks.stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    /** Least-squares slope of log κ against log τ over the measured points. */
    static double logLogSlope(double[] x, double[] y) {
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            if (!(y[i] > 0)) {
                continue;
            }
            double a = Math.log(x[i]);
            double b = Math.log(y[i]);
            sx += a;
            sy += b;
            sxx += a * a;
            sxy += a * b;
            n++;
        }
        return n < 2 ? Double.NaN : (n * sxy - sx * sy) / (n * sxx - sx * sx);
    }

    /** The per-τ bands over seeds of the quantities reported. */
    private record Bands(Band fin, Band best, Band train, Band kappa) {
    }

    /** The NTK limit's numbers, as means over the seeds. */
    private record Limit(double kernelGd, double interpolant, double interpolantEigen, double routesDiffer) {
    }

    void write(RunManifest manifest) throws IOException {
        out.csv("runs.csv", runTable());
        CsvTable kernelTable = kernelTable();
        out.csv("kernel.csv", kernelTable);
        Bands b = new Bands(band(ScaleResult::finalTestLoss), band(ScaleResult::bestTestLoss),
                band(ScaleResult::finalTrainLoss), band(ScaleResult::kappa));
        CsvTable summary = summaryTable(b);
        out.csv("summary.csv", summary);
        Limit limit = limit();
        plotTestLoss(b, limit);
        boolean haveKappa = !Double.isNaN(b.kappa().mean()[0]);
        double slope = haveKappa ? plotKappa(b.kappa()) : Double.NaN;

        MarkdownReport md = new MarkdownReport().heading(1, "Teacher-student (ii): test loss vs initial scale τ")
                .paragraph("Options: `" + options + "`.")
                .paragraph("Student h = Σ_i c_i max(w_i·x + b_i, 0) with symmetrised initialisation τ·w0 (h(τw0) = 0), "
                        + "full-batch GD with step min(cap, c/τ²) on L = (1/2n)Σ(h − y)²; teacher: ReLU units with unit "
                        + "directions and ±1 output weights; data uniform on the sphere.")
                .paragraph(lossSentences(b))
                .paragraph(limitSentences(b, limit));
        if (haveKappa) {
            md.paragraph(kappaSentences(b.kappa(), slope));
        }
        md.image("test loss vs tau", "plots/test-loss-vs-tau.png");
        if (haveKappa) {
            md.image("kappa vs tau", "plots/kappa-vs-tau.png");
        }
        md.heading(2, "Per τ (over seeds)").table(summary)
                .heading(2, "NTK limit per seed").table(kernelTable)
                .paragraph("All runs: `runs.csv`.");
        out.report(md);
        manifest.put("runs", runs);
        manifest.put("kernel", kernels);
        manifest.put("kappaLogLogSlope", slope);
        manifest.put("computeSeconds", runs.stream().mapToDouble(ScaleResult::seconds).sum()
                + kernels.stream().mapToDouble(KernelResult::seconds).sum());
        out.manifest(manifest);
        printTable(b, limit, slope);
    }

    private CsvTable runTable() {
        CsvTable t = new CsvTable("seed", "tau", "step", "steps", "final_train_loss", "final_test_loss",
                "best_test_loss", "seconds", "residual_norm", "jacobian_norm", "hessian_norm", "kappa");
        for (ScaleResult r : runs) {
            t.add(r.seed(), r.tau(), r.step(), r.steps(), r.finalTrainLoss(), r.finalTestLoss(), r.bestTestLoss(),
                    r.seconds(), r.residualNorm(), r.jacobianNorm(), r.hessianNorm(), r.kappa());
        }
        return t;
    }

    private CsvTable kernelTable() {
        CsvTable t = new CsvTable("seed", "steps", "step_constant", "kernel_gd_train_loss",
                "kernel_gd_test_loss", "interpolant_train_loss", "interpolant_test_loss", "lambda_max", "lambda_min",
                "num_params", "seconds", "matrix_free_train_loss", "matrix_free_test_loss", "matrix_free_cg_iterations",
                "matrix_free_residual");
        for (KernelResult k : kernels) {
            t.add(k.seed(), k.steps(), k.stepConstant(), k.kernelGdTrainLoss(), k.kernelGdTestLoss(),
                    k.interpolantTrainLoss(), k.interpolantTestLoss(), k.lambdaMax(), k.lambdaMin(), k.numParams(),
                    k.seconds(), k.matrixFreeTrainLoss(), k.matrixFreeTestLoss(), k.matrixFreeIterations(),
                    k.matrixFreeResidual());
        }
        return t;
    }

    private CsvTable summaryTable(Bands b) {
        CsvTable t = new CsvTable("tau", "step", "final_test_mean", "final_test_min", "final_test_max",
                "best_test_mean", "final_train_mean", "kappa_mean", "kappa_times_tau2");
        for (int i = 0; i < taus.length; i++) {
            t.add(fmt(taus[i]), fmt(stepOf(i)), fmt(b.fin().mean()[i]), fmt(b.fin().min()[i]),
                    fmt(b.fin().max()[i]), fmt(b.best().mean()[i]), fmt(b.train().mean()[i]), fmt(b.kappa().mean()[i]),
                    fmt(b.kappa().mean()[i] * taus[i] * taus[i]));
        }
        return t;
    }

    private Limit limit() {
        double routesDiffer = 0;
        for (KernelResult k : kernels) {
            routesDiffer = Math.max(routesDiffer, Math.abs(k.matrixFreeTestLoss() - k.interpolantTestLoss())
                    / k.interpolantTestLoss());
        }
        return new Limit(mean(kernels, KernelResult::kernelGdTestLoss),
                mean(kernels, KernelResult::matrixFreeTestLoss), mean(kernels, KernelResult::interpolantTestLoss),
                routesDiffer);
    }

    private void plotTestLoss(Bands b, Limit limit) throws IOException {
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put("end of training, mean of " + kernels.size(), new double[][]{taus, b.fin().mean()});
        series.put("end of training, min", new double[][]{taus, b.fin().min()});
        series.put("end of training, max", new double[][]{taus, b.fin().max()});
        series.put("best during training, mean", new double[][]{taus, b.best().mean()});
        double[] ends = {taus[0], taus[taus.length - 1]};
        double gd = limit.kernelGd();
        double interpolant = limit.interpolant();
        series.put("NTK kernel GD, same steps (tau -> inf)", new double[][]{ends, {gd, gd}});
        series.put("NTK interpolant (matrix-free CG)", new double[][]{ends, {interpolant, interpolant}});
        org.knowm.xchart.XYChart chart = Plots.lineChart("Test loss vs initial scale tau", "tau", "test loss", series,
                true, false, 900, 560);
        out.plot("test-loss-vs-tau.png", List.of(chart), 1, 1);
    }

    /** κ(τ) against κ(τ0)(τ0/τ)²; returns the log-log slope. */
    private double plotKappa(Band kappa) throws IOException {
        double[] ref = new double[taus.length];
        for (int i = 0; i < taus.length; i++) {
            ref[i] = kappa.mean()[0] * Math.pow(taus[0] / taus[i], 2);
        }
        Map<String, double[][]> ks = new LinkedHashMap<>();
        ks.put("kappa(tau) measured", new double[][]{taus, kappa.mean()});
        ks.put("kappa(tau0)(tau0/tau)^2", new double[][]{taus, ref});
        out.lines("kappa-vs-tau.png", "Relative scale kappa at initialisation", "tau", "kappa", ks, true, true);
        return logLogSlope(taus, kappa.mean());
    }

    private String lossSentences(Bands b) {
        int last = taus.length - 1;
        Band fin = b.fin();
        return String.format(Locale.ROOT,
                "At the smallest τ = %.4g the final test loss is %.3g (mean over %d seeds, range %.3g–%.3g); at the "
                        + "largest τ = %.4g it is %.3g (range %.3g–%.3g), %.1f× %s. The best test loss during training "
                        + "goes from %.3g to %.3g.",
                taus[0], fin.mean()[0], kernels.size(), fin.min()[0], fin.max()[0], taus[last], fin.mean()[last],
                fin.min()[last], fin.max()[last], ratio(fin.mean()[last], fin.mean()[0]),
                fin.mean()[last] >= fin.mean()[0] ? "larger: the lazy regime generalises worse"
                        : "smaller: here the lazy regime did not generalise worse",
                b.best().mean()[0], b.best().mean()[last]);
    }

    private String limitSentences(Bands b, Limit limit) {
        double atLargest = b.fin().mean()[taus.length - 1];
        return String.format(Locale.ROOT,
                "τ → ∞ limit computed independently with the empirical NTK at w0 (P = %d trained parameters): kernel "
                        + "gradient descent with the same %d steps and step %s gives test loss %.4g (mean over seeds), the "
                        + "kernel interpolant %.4g (matrix-free NtkRegression, %d–%d CG iterations to a residual ≤ %.0e; "
                        + "the eigendecomposition of the explicit kernel gives %.4g, per seed within %.1e relative). At "
                        + "the largest τ the trained networks' mean test loss is %.2g%% %s the kernel-GD limit.",
                kernels.get(0).numParams(), kernels.get(0).steps(), PathsExperiment.plain(kernels.get(0).stepConstant()),
                limit.kernelGd(), limit.interpolant(),
                kernels.stream().mapToInt(KernelResult::matrixFreeIterations).min().orElse(0),
                kernels.stream().mapToInt(KernelResult::matrixFreeIterations).max().orElse(0),
                kernels.stream().mapToDouble(KernelResult::matrixFreeResidual).max().orElse(Double.NaN),
                limit.interpolantEigen(), limit.routesDiffer(),
                100 * Math.abs(atLargest - limit.kernelGd()) / limit.kernelGd(),
                atLargest >= limit.kernelGd() ? "above" : "below");
    }

    private String kappaSentences(Band kappa, double slope) {
        int last = taus.length - 1;
        return String.format(Locale.ROOT,
                "κ at initialisation falls from %.4g at τ = %.4g to %.4g at τ = %.4g; the least-squares slope of "
                        + "log κ against log τ is %.3f. Theory: h is 2-homogeneous and h(τw0) = 0, so ‖h − y*‖ is "
                        + "constant, ‖∇h(τw0)‖ = τ‖∇h(w0)‖ and ∇²h(τw0) = ∇²h(w0), hence κ(τ) = κ(1)/τ² "
                        + "(slope −2); κ·τ² is listed in summary.csv.",
                kappa.mean()[0], taus[0], kappa.mean()[last], taus[last], slope);
    }

    private void printTable(Bands b, Limit limit, double slope) {
        log.println();
        log.printf(Locale.ROOT, "%10s %10s %12s %12s %12s %12s%n", "tau", "step", "final test", "best test", "final train",
                "kappa");
        for (int i = 0; i < taus.length; i++) {
            log.printf(Locale.ROOT, "%10.4g %10.4g %12.5f %12.5f %12.3g %12.4g%n", taus[i], stepOf(i),
                    b.fin().mean()[i], b.best().mean()[i], b.train().mean()[i], b.kappa().mean()[i]);
        }
        log.printf(Locale.ROOT, "NTK limit: kernel GD %.5f, interpolant %.5f; kappa log-log slope %.3f%n",
                limit.kernelGd(), limit.interpolant(), slope);
        log.println(out.wrote());
    }

    private double stepOf(int i) {
        for (ScaleResult r : runs) {
            if (Math.abs(r.tau() - taus[i]) <= 1e-9 * taus[i]) {
                return r.step();
            }
        }
        return Double.NaN;
    }

    private static double ratio(double a, double b) {
        return a >= b ? a / b : b / a;
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }
}
