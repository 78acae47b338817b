package io.github.widenet.internal.wrap;

import io.github.widenet.internal.tangent.UnsupportedLayerException;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.Layer;

import java.util.Map;
import java.util.function.Function;

/**
 * Dropout in a wrapped network. At inference every DL4J dropout is the identity, and {@code Dropout(p = 1.0)} (what Keras
 * import adds to every layer) is the identity always: those are removed from the logits network. Active dropout
 * (p &lt; 1, Gaussian, alpha, spatial) is refused unless the caller asks to wrap the network as at inference: the lazy and
 * linearized models are defined without dropout (sampling masks for h(w), h(w0) and the tangent separately would make
 * the lazy output nonzero at initialisation and the tangent wrong).
 */
public final class DropoutPolicy {

    private DropoutPolicy() {
    }

    /** A copy of {@code logits} without the no-op dropouts, or without every dropout when {@code all}. */
    public static ComputationGraphConfiguration strip(ComputationGraphConfiguration logits, boolean all) {
        if (logits.getVertices().values().stream().noneMatch(v -> removable(v, all))) {
            return logits;
        }
        ComputationGraphConfiguration copy = GraphConfigs.copy(logits);
        for (GraphVertex v : copy.getVertices().values()) {
            if (removable(v, all)) {
                Layer layer = ((LayerVertex) v).getLayerConf().getLayer();
                layer.setIDropout(null);
                ParamOwner.of(layer).setIDropout(null);     // a wrapper layer's inner layer applies its own dropout
            }
        }
        return copy;
    }

    /** Throws naming the first layer with active dropout and the two ways to fix it. */
    public static void requireNone(ComputationGraphConfiguration logits, Function<String, String> describe,
                                   String builderName) {
        for (Map.Entry<String, GraphVertex> e : logits.getVertices().entrySet()) {
            IDropout d = dropout(e.getValue());
            if (d != null) {
                Layer layer = ((LayerVertex) e.getValue()).getLayerConf().getLayer();
                throw new UnsupportedLayerException(describe.apply(e.getKey()) + " (" + layer.getClass().getSimpleName()
                        + ") uses dropout " + describe(d) + "; the lazy and linearized models are defined without dropout: remove "
                        + "it before wrapping, or call " + builderName + ".ignoreDropout(true) to wrap the network as at "
                        + "inference (every dropout the identity)");
            }
        }
    }

    private static String describe(IDropout d) {
        return d instanceof Dropout && ((Dropout) d).getPSchedule() == null ? "Dropout(p = " + ((Dropout) d).getP() + ")"
                : d.getClass().getSimpleName();
    }

    private static boolean removable(GraphVertex v, boolean all) {
        IDropout d = dropout(v);
        return d != null && (all || isNoOp(d));
    }

    /** A layer's dropout, or that of the layer a wrapper layer (TimeDistributed, LastTimeStep, …) runs. */
    private static IDropout dropout(GraphVertex v) {
        if (!(v instanceof LayerVertex)) {
            return null;
        }
        Layer layer = ((LayerVertex) v).getLayerConf().getLayer();
        return layer.getIDropout() != null ? layer.getIDropout() : ParamOwner.of(layer).getIDropout();
    }

    /** {@code Dropout(p = 1.0)} without a schedule keeps every activation: no dropout at all. */
    static boolean isNoOp(IDropout d) {
        return d instanceof Dropout && ((Dropout) d).getPSchedule() == null && ((Dropout) d).getP() == 1.0;
    }
}
