package io.github.widenet.ntk;

import java.io.PrintStream;
import java.util.Locale;

/**
 * One iteration of {@link NtkRegression}'s conjugate gradients: the relative residual ‖Θa + λa − r‖/‖r‖ of the current
 * coefficients a, the training accuracy of the current solution f = h(w0, X) + Θa (argmax of the K logits against the
 * targets' argmax; for K = 1 the share of matching signs), and timing. Iteration 0 is the start (a = 0).
 *
 * @param iteration           completed iterations
 * @param maxIterations       the iteration cap
 * @param residual            relative residual (from the CG recurrences; recomputed exactly on {@code verified} rows)
 * @param trainAccuracy       training accuracy of the current solution
 * @param seconds             wall time since this solve (or its resumption) started
 * @param secondsPerIteration mean wall time of the iterations so far in this process (recomputations included)
 * @param etaSeconds          estimated seconds until the tolerance is met (from the residual's recent rate) or the cap is
 *                            reached, whichever comes first
 * @param verified            whether this row's residual was recomputed from a (one pass over the data, ×{@code Θ})
 */
public record NtkProgress(int iteration, int maxIterations, double residual, double trainAccuracy, double seconds,
                          double secondsPerIteration, double etaSeconds, boolean verified) {

    /** A listener printing a line every {@code every} iterations (and at iteration 0) to {@code out}. */
    public static NtkRegression.Listener printingTo(PrintStream out, int every) {
        if (every < 1) {
            throw new IllegalArgumentException("print interval must be >= 1, got " + every);
        }
        return p -> {
            if (p.iteration() % every == 0 || p.verified()) {
                out.println(p);
            }
            return true;
        };
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "NTK CG iteration %d/%d: residual %.3e%s, training accuracy %.4f, %.1f s/iter, "
                        + "ETA %s", iteration, maxIterations, residual, verified ? " (recomputed)" : "", trainAccuracy,
                secondsPerIteration, Double.isFinite(etaSeconds) ? String.format(Locale.ROOT, "%.0f s", etaSeconds) : "-");
    }
}
