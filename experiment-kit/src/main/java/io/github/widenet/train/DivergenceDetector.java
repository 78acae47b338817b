package io.github.widenet.train;

import java.util.Locale;

/**
 * Stops a training run whose loss or parameters blow up, so that no report is ever written from a diverged run. A run
 * has diverged when
 * <ul>
 *   <li>the loss is NaN or infinite, or</li>
 *   <li>the loss stays above {@value #LOSS_FACTOR} × the chance-level loss ln(classes) (11.5 nats for 10 classes) for
 *       {@link #window()} consecutive steps (min(10, max(2, steps/10))), or</li>
 *   <li>the parameter norm ‖θ‖ exceeds {@value #PARAMETER_GROWTH} × its initial value ‖θ0‖, checked every
 *       {@value #PARAMETER_CHECK_INTERVAL} steps, after the first step and after the last (a blown-up network can sit at
 *       chance-level loss with dead units, so the loss alone does not show it).</li>
 * </ul>
 * Healthy runs stay far from these limits (mean-field MNIST: ‖θ‖/‖θ0‖ ≈ 3 after 200 steps; at η = 1000 it is 250 after
 * one step and 10^13 after five). A divergence throws {@link TrainingStoppedException} naming the task, the step, what
 * blew up and the advice (the option to change).
 */
public final class DivergenceDetector {

    public static final double LOSS_FACTOR = 5;
    public static final double PARAMETER_GROWTH = 100;
    public static final int PARAMETER_CHECK_INTERVAL = 10;

    private final String task;
    private final String advice;
    private final double lossLimit;
    private final int window;
    private final long totalSteps;
    private int above;
    private double initialNorm = Double.NaN;

    /**
     * @param task       what is trained, for the message (e.g. "mean-field-m1000")
     * @param classes    number of classes (chance-level loss ln(classes))
     * @param totalSteps steps of the whole run of this task
     * @param advice     what to change, e.g. "lower the base step size --eta (now 1000.0)"
     */
    public DivergenceDetector(String task, int classes, long totalSteps, String advice) {
        this.task = task;
        this.advice = advice;
        this.lossLimit = LOSS_FACTOR * Math.log(classes);
        this.window = (int) Math.max(2, Math.min(10, totalSteps / 10));
        this.totalSteps = totalSteps;
    }

    public int window() {
        return window;
    }

    public double lossLimit() {
        return lossLimit;
    }

    /** Records the loss of step {@code step} (0-based). */
    public void loss(long step, double loss) {
        if (!Double.isFinite(loss)) {
            throw stop(String.format(Locale.ROOT, "loss %s at step %d", loss, step + 1));
        }
        above = loss > lossLimit ? above + 1 : 0;
        if (above >= window) {
            throw stop(String.format(Locale.ROOT, "loss %.3g at step %d, above %.1f (%.0f × the chance-level loss) for %d "
                    + "consecutive steps", loss, step + 1, lossLimit, LOSS_FACTOR, above));
        }
    }

    /** Whether {@link #parameters} should be called after {@code stepsDone} steps. */
    public boolean parametersDue(long stepsDone) {
        return stepsDone == 1 || stepsDone % PARAMETER_CHECK_INTERVAL == 0 || stepsDone == totalSteps;
    }

    /** The initial parameter norm ‖θ0‖ (set by the first call of {@link #parameters}, or restored). */
    public double initialNorm() {
        return initialNorm;
    }

    /** Restores ‖θ0‖ when resuming from a checkpoint. */
    public DivergenceDetector initialNorm(double norm) {
        this.initialNorm = norm;
        return this;
    }

    /** Records the parameter norm after {@code stepsDone} steps; the first call (e.g. at step 0) sets ‖θ0‖. */
    public void parameters(long stepsDone, double norm) {
        if (!Double.isFinite(norm)) {
            throw stop(String.format(Locale.ROOT, "parameter norm %s after step %d%s", norm, stepsDone,
                    Double.isNaN(norm) ? "" : " (overflow: the parameters are huge or infinite)"));
        }
        if (Double.isNaN(initialNorm)) {
            initialNorm = norm;
            return;
        }
        if (norm > PARAMETER_GROWTH * initialNorm) {
            throw stop(String.format(Locale.ROOT, "parameter norm %.3g after step %d is %.3g × its initial %.3g (limit "
                    + "%.0f×)", norm, stepsDone, norm / initialNorm, initialNorm, PARAMETER_GROWTH));
        }
    }

    private TrainingStoppedException stop(String what) {
        return new TrainingStoppedException(task + ": training diverged: " + what + "; " + advice
                + ". No results were written for this run.");
    }
}
