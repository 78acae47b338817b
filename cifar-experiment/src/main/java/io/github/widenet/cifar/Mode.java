package io.github.widenet.cifar;

import io.github.widenet.lazy.LazyWrapper;
import io.github.widenet.linearized.LinearizedWrapper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.Locale;

/**
 * A training mode of the comparison: the centred scale-α model α·(h(w) − h(w0)) trained on CE/α² (α = 1 is standard
 * training of the centred network; large α is lazy), or the linearized model J(w0)·(w − w0) — the α → ∞ limit of the lazy
 * models, trained on plain CE. All modes start from the same w0.
 *
 * @param alpha the scale, or NaN for the linearized model
 */
public record Mode(double alpha) {

    public static Mode lazy(double alpha) {
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("alpha must be finite and > 0, got " + alpha);
        }
        return new Mode(alpha);
    }

    public static Mode linearized() {
        return new Mode(Double.NaN);
    }

    public boolean isLinearized() {
        return Double.isNaN(alpha);
    }

    /** "standard (alpha=1)", "lazy alpha=100", "linearized". */
    public String label() {
        if (isLinearized()) {
            return "linearized";
        }
        return alpha == 1 ? "standard (alpha=1)" : "lazy alpha=" + format(alpha);
    }

    /** File- and key-safe name: "alpha1", "alpha100", "linearized". */
    public String key() {
        return isLinearized() ? "linearized" : "alpha" + format(alpha);
    }

    static String format(double a) {
        return a == Math.rint(a) ? String.format(Locale.ROOT, "%d", (long) a) : String.format(Locale.ROOT, "%s", a);
    }

    /** The trainable network of this mode built on the base network (whose parameters are w0). */
    public MultiLayerNetwork wrap(MultiLayerNetwork base) {
        return isLinearized() ? LinearizedWrapper.builder().centred(true).wrap(base) : LazyWrapper.wrap(base, alpha);
    }

    /** The factor between the model's output and the unscaled logits fed to softmax (α, or 1 for linearized). */
    public double outputScale() {
        return isLinearized() ? 1 : alpha;
    }
}
