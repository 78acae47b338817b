package io.github.widenet.cifar;

import io.github.widenet.report.RunOutputs;
import io.github.widenet.report.CsvTable;
import io.github.widenet.report.MarkdownReport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report of {@code cifar-ntk}: the per-n table of the matrix-free NTK regression and the explicit route's, with
 * every sentence computed from their rows.
 */
final class NtkReport {

    private final String data;
    private final String model;
    private final long params;
    private final double tolerance;
    private final String solver;
    private final CsvTable cg;
    private final CsvTable explicit;

    NtkReport(String data, String model, long params, double tolerance, String solver, CsvTable cg, CsvTable explicit) {
        this.solver = solver;
        this.data = data;
        this.model = model;
        this.params = params;
        this.tolerance = tolerance;
        this.cg = cg;
        this.explicit = explicit;
    }

    void write(RunOutputs out) throws IOException {
        MarkdownReport r = new MarkdownReport().heading(1, "Matrix-free NTK regression of VGG-11 on CIFAR-10")
                .paragraph("Data: " + data + ". Model: " + model + ", P = " + String.format(Locale.ROOT, "%,d", params)
                        + " parameters, float32, NHWC, at its initialisation w0. Problem: the centred kernel regression "
                        + "(Θ + λI)a = Y with one-hot targets Y (λ = 0: the t → ∞ limit of lazy training with the squared "
                        + "loss), solved by conjugate gradients with one pass over the images per iteration (forward at "
                        + "w0, JVP, VJP); " + solver + "; relative residual tolerance " + tolerance + ". The yardstick of an iteration is one epoch of the "
                        + "centred linearized model's SGD training on the same minibatches, timed in the same process "
                        + "just before.")
                .table(cg)
                .image("CG residual per iteration", "plots/residual.png");
        for (String s : cgSentences()) {
            r.bullet(s);
        }
        r.endList();
        if (explicit.size() > 0) {
            r.heading(2, "The explicit route").paragraph("Θ formed by EmpiricalNtk (blocks of B examples, one backward "
                    + "pass per example and logit per block pair), solved in double by its eigendecomposition (eigenvalues below "
                    + "1e-10·λ_max dropped: the min-norm solution); its predictions on 20 test images "
                    + "compared with the matrix-free solve's on the same n.").table(explicit);
            for (String s : explicitSentences()) {
                r.bullet(s);
            }
            r.endList();
        }
        out.report(r);
    }

    private List<String> cgSentences() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < cg.size(); i++) {
            String n = cg.get(i, "n");
            out.add(String.format(Locale.ROOT, "n = %s: %s s to start, %s s per CG iteration, %s× one linearized epoch (%s s); peak "
                            + "resident memory %s GB; %s iterations run (%s), final residual %s; 100%% training accuracy "
                            + "%s; residual ≤ %s %s; the interpolant's training accuracy %s, test accuracy %s.", n,
                    fmt(cg.get(i, "start_seconds")), fmt(cg.get(i, "seconds_per_iteration")),
                    fmt(cg.get(i, "iteration_over_epoch")),
                    fmt(cg.get(i, "linearized_epoch_seconds")), fmt(cg.get(i, "peak_rss_gb")),
                    cg.get(i, "cg_iterations"), cg.get(i, "stop"), fmt(cg.get(i, "final_residual")),
                    reached(cg.get(i, "iterations_to_full_train_accuracy")), tolerance,
                    reached(cg.get(i, "iterations_to_tolerance")), fmt(cg.get(i, "train_accuracy")),
                    fmt(cg.get(i, "test_accuracy"))));
        }
        double worst = 0;
        for (int i = 0; i < cg.size(); i++) {
            worst = Math.max(worst, Double.parseDouble(cg.get(i, "iteration_over_epoch")));
        }
        out.add(String.format(Locale.ROOT, "The largest ratio of a CG iteration to a linearized epoch is %.2f×, %s the "
                + "1.5× target.", worst, worst <= 1.5 ? "within" : "above"));
        return out;
    }

    private List<String> explicitSentences() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < explicit.size(); i++) {
            double gram = Double.parseDouble(explicit.get(i, "gram_seconds")) + Double.parseDouble(explicit.get(i,
                    "solve_seconds"));
            double cgSeconds = Double.parseDouble(explicit.get(i, "cg_seconds_same_n"));
            out.add(String.format(Locale.ROOT, "n = %s: the explicit route took %.1f s (Gram and solve), the matrix-free "
                            + "solve %.1f s to the tolerance (%s iterations): the %s route is %.1f× faster; predictions "
                            + "differ by %s (relative).", explicit.get(i, "n"), gram, cgSeconds,
                    explicit.get(i, "cg_iterations_same_n"), gram < cgSeconds ? "explicit" : "matrix-free",
                    Math.max(gram, cgSeconds) / Math.min(gram, cgSeconds), fmt(explicit.get(i, "prediction_difference"))));
        }
        return out;
    }

    private static String reached(String iteration) {
        return iteration.equals("not reached") ? "not reached" : "at iteration " + iteration;
    }

    private static String fmt(String number) {
        try {
            double v = Double.parseDouble(number);
            if (v != 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)) {
                return String.format(Locale.ROOT, "%.2e", v);
            }
            return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : "%.3g", v);
        } catch (NumberFormatException e) {
            return number;
        }
    }
}
