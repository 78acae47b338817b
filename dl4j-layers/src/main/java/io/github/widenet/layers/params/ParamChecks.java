package io.github.widenet.layers.params;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

/**
 * Checks shared by the project's parameter initialisers: loaded (not freshly initialised) parameters must be finite,
 * so a corrupted or diverged checkpoint fails at restore with a message naming the layer and parameter instead of
 * silently producing NaN outputs later.
 */
public final class ParamChecks {

    private ParamChecks() {
    }

    /**
     * Throws {@link IllegalStateException} if any parameter holds NaN or ±Inf.
     *
     * @param layerDescription e.g. {@code "MeanFieldLayer 'hidden'"}; used in the message
     */
    public static void requireFinite(String layerDescription, Map<String, INDArray> params) {
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            INDArray p = e.getValue();
            if (p.length() == 0) {
                continue;
            }
            long nan = countNaN(p);
            long inf = countInfinite(p);
            if (nan > 0 || inf > 0) {
                throw new IllegalStateException(layerDescription + ": parameter \"" + e.getKey() + "\" "
                        + java.util.Arrays.toString(p.shape()) + " contains " + nan + " NaN and " + inf
                        + " infinite values after loading; the saved model or parameter array is corrupt or diverged");
            }
        }
    }

    private static long countNaN(INDArray p) {
        return Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.impl.reduce.longer.MatchCondition(p,
                org.nd4j.linalg.indexing.conditions.Conditions.isNan())).getLong(0);
    }

    private static long countInfinite(INDArray p) {
        return Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.impl.reduce.longer.MatchCondition(p,
                org.nd4j.linalg.indexing.conditions.Conditions.isInfinite())).getLong(0);
    }

    /** A human-readable name for a layer configuration: simple class name, quoted layer name if any. */
    public static String describe(org.deeplearning4j.nn.conf.layers.Layer layer) {
        String name = layer.getLayerName();
        return layer.getClass().getSimpleName() + (name == null ? "" : " '" + name + "'");
    }
}
