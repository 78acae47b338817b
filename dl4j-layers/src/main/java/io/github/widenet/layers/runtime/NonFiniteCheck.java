package io.github.widenet.layers.runtime;

import io.github.widenet.layers.WidenetSettings;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.longer.MatchCondition;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.conditions.Conditions;

import java.util.Arrays;
import java.util.Map;

/**
 * Stops a forward pass of the project's layers and wrappers at the first NaN or ±Inf, naming the layer, the iteration and
 * epoch, and the culprit: the input minibatch, a parameter, or (with finite parameters and input) an overflow. DL4J's own
 * layers propagate NaN silently, so a diverged run would otherwise go on producing chance-level results.
 * <p>Cost: one sum over the input and one over the output per forward pass (non-finite values make the sum non-finite);
 * parameters are only scanned once the output is non-finite. Opt out, for DL4J's default behaviour, with the system
 * property {@code -Dwidenet.checkFinite=false} ({@link io.github.widenet.layers.WidenetSettings}) or {@link #setEnabled(boolean)}.
 */
public final class NonFiniteCheck {

    /** System property that disables the check when "false". */
    public static final String PROPERTY = WidenetSettings.Setting.CHECK_FINITE.key();

    private static volatile boolean enabled = WidenetSettings.isOn(WidenetSettings.Setting.CHECK_FINITE);

    private NonFiniteCheck() {
    }

    public static boolean isEnabled() {
        return enabled;
    }

    /** Turns the check on or off for every layer in this JVM. */
    public static void setEnabled(boolean on) {
        enabled = on;
    }

    /** Throws {@link NonFiniteException} if the input minibatch {@code x} holds NaN or ±Inf. */
    public static void input(INDArray x, String layer, int iteration, int epoch) {
        if (!enabled || x == null || isFinite(x)) {
            return;
        }
        long[] c = counts(x);
        if (c[0] + c[1] > 0) {
            throw new NonFiniteException(layer + ": the input minibatch at iteration " + iteration + " (epoch " + epoch
                    + ") has " + c[0] + " NaN and " + c[1] + " infinite values (shape " + Arrays.toString(x.shape())
                    + "); check the data or the layer below" + optOut());
        }
    }

    /**
     * After a forward pass: throws {@link NonFiniteException} if {@code out} holds NaN or ±Inf, naming the first
     * non-finite parameter of {@code params}, or reporting an overflow when every parameter is finite.
     */
    public static void output(INDArray out, Map<String, INDArray> params, String layer, int iteration, int epoch) {
        if (!enabled || out == null || isFinite(out)) {
            return;
        }
        long[] c = counts(out);
        if (c[0] + c[1] == 0) {
            return;                       // a finite sum overflowed: the values themselves are finite
        }
        String at = layer + ": the output at iteration " + iteration + " (epoch " + epoch + ") has " + c[0] + " NaN and "
                + c[1] + " infinite values";
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            INDArray p = e.getValue();
            if (p.length() > 0 && !isFinite(p)) {
                long[] pc = counts(p);
                if (pc[0] + pc[1] > 0) {
                    throw new NonFiniteException(at + " because parameter '" + e.getKey() + "' has " + pc[0] + " NaN and "
                            + pc[1] + " infinite values: training diverged (lower the learning rate) or the labels "
                            + "hold NaN" + optOut());
                }
            }
        }
        throw new NonFiniteException(at + " with finite parameters and input: the values overflowed (training is "
                + "diverging; lower the learning rate)" + optOut());
    }

    /**
     * A DL4J layer's forward pass with its input minibatch checked before and its output after, the layer named by its
     * configuration and index.
     */
    public static INDArray checkedForward(org.deeplearning4j.nn.api.Layer layer,
                                          java.util.function.Supplier<INDArray> pass) {
        String name = io.github.widenet.internal.params.ParamChecks.describe(layer.conf().getLayer()) + " (layer "
                + layer.getIndex() + ")";
        input(layer.input(), name, layer.getIterationCount(), layer.getEpochCount());
        INDArray out = pass.get();
        output(out, layer.paramTable(), name, layer.getIterationCount(), layer.getEpochCount());
        return out;
    }

    private static String optOut() {
        return " [disable this check with -D" + PROPERTY + "=false]";
    }

    private static boolean isFinite(INDArray a) {
        return a.length() == 0 || Double.isFinite(a.sumNumber().doubleValue());
    }

    /** {NaN count, infinite count} of an array. */
    public static long[] counts(INDArray a) {
        long nan = Nd4j.getExecutioner().exec(new MatchCondition(a, Conditions.isNan())).getLong(0);
        long inf = Nd4j.getExecutioner().exec(new MatchCondition(a, Conditions.isInfinite())).getLong(0);
        return new long[]{nan, inf};
    }
}
