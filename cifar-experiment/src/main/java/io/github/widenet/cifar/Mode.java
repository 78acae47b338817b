package io.github.widenet.cifar;

import io.github.widenet.lazy.LazyWrapper;
import io.github.widenet.linearized.LinearizedWrapper;
import io.github.widenet.layers.BatchNormMode;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.Locale;

/**
 * A training mode of the comparison, all from the same w0: the plain network h(w) on plain CE (not centred); the
 * centred scale-α model α·(h(w) − h(w0)) trained on CE/α² (α = 1 is standard training of the centred network; large α
 * is lazy); or the linearized model J(w0)·(w − w0) — the α → ∞ limit of the lazy models, trained on plain CE.
 *
 * @param kind  which model is trained
 * @param alpha the scale of a centred model; 1 for the plain model, NaN for the linearized one
 */
public record Mode(Kind kind, double alpha) {

    /** The three families of models. */
    public enum Kind {
        /** h(w) itself, plain cross-entropy. */
        PLAIN,
        /** α·(h(w) − h(w0)) on CE/α². */
        CENTRED,
        /** J(w0)·(w − w0) on CE. */
        LINEARIZED,
        /** Not trained: kernel regression with the empirical NTK of w0, f = J(w0)·J(w0)ᵀ·Θ⁻¹·Y (lazy t → ∞, squared loss). */
        NTK_LIMIT
    }

    public Mode {
        if (kind == null) {
            throw new IllegalArgumentException("mode kind missing");
        }
    }

    /**
     * The centred model of scale α (α = 1: standard, large α: lazy); its loss factor 1/α² must be a positive finite
     * double, so α is at most {@value #MAX_ALPHA} (and at least its inverse).
     */
    public static Mode lazy(double alpha) {
        double factor = 1 / (alpha * alpha);
        if (!(alpha > 0) || !(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("alpha must be between 1e-150 and 1e150 (the loss factor "
                    + "1/alpha^2 must be a positive finite number), got " + alpha);
        }
        return new Mode(Kind.CENTRED, alpha);
    }

    /** The largest scale α accepted: 1/α² stays a positive double. */
    public static final double MAX_ALPHA = 1e150;

    /** The linearized model at w0. */
    public static Mode linearized() {
        return new Mode(Kind.LINEARIZED, Double.NaN);
    }

    /** The NTK-regression limit of w0 (centred, one-hot targets), computed by {@link NtkLimitRun}, not trained. */
    public static Mode ntkLimit() {
        return new Mode(Kind.NTK_LIMIT, Double.NaN);
    }

    /** The ordinary network, not centred. */
    public static Mode plain() {
        return new Mode(Kind.PLAIN, 1);
    }

    /**
     * One mode as written on the command line: "plain", "standard" (α = 1), "linearized", or a scale α such as "100"
     * (also "alpha100" or "lazy100").
     */
    public static Mode parse(String token) {
        String t = token.strip().toLowerCase(Locale.ROOT);
        switch (t) {
            case "plain":
                return plain();
            case "standard":
                return lazy(1);
            case "linearized":
            case "linearised":
                return linearized();
            case "ntk-limit":
                return ntkLimit();
            default:
                break;
        }
        String number = t.replaceFirst("^(alpha|lazy)=?", "");
        double a;
        try {
            a = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + token + "' is not a mode (plain, standard, linearized, "
                    + "ntk-limit or a scale alpha > 0 such as 100)");
        }
        try {
            return lazy(a);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + token + "': " + e.getMessage(), e);
        }
    }

    public boolean isLinearized() {
        return kind == Kind.LINEARIZED;
    }

    public boolean isNtkLimit() {
        return kind == Kind.NTK_LIMIT;
    }

    public boolean isPlain() {
        return kind == Kind.PLAIN;
    }

    /** A centred model α·(h(w) − h(w0)) (standard or lazy). */
    public boolean isCentred() {
        return kind == Kind.CENTRED;
    }

    /** The centred model with α = 1. */
    public boolean isStandard() {
        return isCentred() && alpha == 1;
    }

    /** "plain", "standard (alpha=1)", "lazy alpha=100", "linearized". */
    public String label() {
        return switch (kind) {
            case PLAIN -> "plain";
            case LINEARIZED -> "linearized";
            case NTK_LIMIT -> "NTK-regression limit";
            case CENTRED -> alpha == 1 ? "standard (alpha=1)" : "lazy alpha=" + format(alpha);
        };
    }

    /** File- and key-safe name: "plain", "alpha1", "alpha100", "linearized". */
    public String key() {
        return switch (kind) {
            case PLAIN -> "plain";
            case LINEARIZED -> "linearized";
            case NTK_LIMIT -> "ntk-limit";
            case CENTRED -> "alpha" + format(alpha);
        };
    }

    /** α as written: whole numbers in full ("100", "100000000000000000000"), others as Java prints them ("0.5"). */
    static String format(double a) {
        return a == Math.rint(a) ? java.math.BigDecimal.valueOf(a).stripTrailingZeros().toPlainString()
                : String.format(Locale.ROOT, "%s", a);
    }

    /** The trainable network of this mode built on the base network (whose parameters are w0). */
    public MultiLayerNetwork wrap(MultiLayerNetwork base) {
        return (MultiLayerNetwork) wrap(base, BatchNormMode.INFERENCE);
    }

    /**
     * The trainable network of this mode built on the base network (a MultiLayerNetwork or ComputationGraph whose
     * parameters are w0), its BatchNormalization layers (if any) computing in {@code batchNorm} for h(w) and h(w0).
     */
    public Model wrap(Model base, BatchNormMode batchNorm) {
        if (kind == Kind.PLAIN) {
            return base;
        }
        if (kind == Kind.NTK_LIMIT) {
            throw new IllegalStateException("the NTK-regression limit is solved, not trained");
        }
        if (kind == Kind.LINEARIZED) {
            LinearizedWrapper.Builder b = LinearizedWrapper.builder().centred(true).batchNormMode(batchNorm);
            return base instanceof ComputationGraph g ? b.wrap(g) : b.wrap((MultiLayerNetwork) base);
        }
        LazyWrapper.Builder b = LazyWrapper.builder().alpha(alpha).batchNormMode(batchNorm);
        return base instanceof ComputationGraph g ? b.wrap(g) : b.wrap((MultiLayerNetwork) base);
    }
}
