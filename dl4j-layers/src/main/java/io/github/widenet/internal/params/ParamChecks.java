package io.github.widenet.internal.params;

import org.nd4j.linalg.api.ndarray.INDArray;

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
            long[] c = io.github.widenet.layers.runtime.NonFiniteCheck.counts(p);
            long nan = c[0];
            long inf = c[1];
            if (nan > 0 || inf > 0) {
                throw new IllegalStateException(layerDescription + ": parameter \"" + e.getKey() + "\" "
                        + java.util.Arrays.toString(p.shape()) + " contains " + nan + " NaN and " + inf
                        + " infinite values after loading; the saved model or parameter array is corrupt or diverged");
            }
        }
    }

    /** A human-readable name for a layer configuration: simple class name, quoted layer name if any. */
    public static String describe(org.deeplearning4j.nn.conf.layers.Layer layer) {
        String name = layer.getLayerName();
        return layer.getClass().getSimpleName() + (name == null ? "" : " '" + name + "'");
    }
}
