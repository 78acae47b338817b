package io.github.widenet.internal.tangent;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;

import java.util.Map;
import java.util.function.Function;

/**
 * Refuses LocalResponseNormalization in every wrapper and in the NTK: DL4J 1.0.0-M2.1's LRN backprop is not the
 * derivative of its forward pass y = x·(k + α Σ_window x²)^(−β) (GradientCheckUtil in double: relative errors up to
 * 0.04 on a small conv net, LrnTangentTest), and the lazy model's training, the linearized model's gradient Jᵀε
 * and the NTK's Jacobian rows all go through DL4J's backprop. The exact forward-mode rule exists ({@link LrnTangent}, checked against finite
 * differences to 1e-10) and is registered once DL4J's backprop passes the gradient check.
 */
public final class LrnBackprop {

    private LrnBackprop() {
    }

    /** The refusal for {@code where} (e.g. "layer 1"). */
    public static String message(String where) {
        return where + " (LocalResponseNormalization) cannot be wrapped: DL4J 1.0.0-M2.1's backprop through local "
                + "response normalization is not the derivative of its forward pass (gradient check, double: 45 of "
                + "183 parameters off, relative errors up to 0.04), so gradients and NTK rows through it would be "
                + "wrong; remove the layer (or use BatchNormalization instead) before wrapping";
    }

    /** Throws {@link #message} if {@code conf} is a LocalResponseNormalization. */
    static void refuse(Layer conf, String where) {
        if (conf instanceof LocalResponseNormalization) {
            throw new UnsupportedLayerException(message(where));
        }
    }

    /** Throws {@link #message} for the first LocalResponseNormalization of {@code logits}. */
    public static void refuseAny(ComputationGraphConfiguration logits, Function<String, String> describe) {
        for (Map.Entry<String, GraphVertex> e : logits.getVertices().entrySet()) {
            if (e.getValue() instanceof LayerVertex) {
                refuse(((LayerVertex) e.getValue()).getLayerConf().getLayer(), describe.apply(e.getKey()));
            }
        }
    }
}
