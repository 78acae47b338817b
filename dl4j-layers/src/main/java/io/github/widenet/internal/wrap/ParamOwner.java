package io.github.widenet.internal.wrap;

import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;

/**
 * The layer configuration that holds a layer's updater and regularization: the layer itself, or, for DL4J's wrapper
 * layers that delegate their parameters (LastTimeStep, MaskZeroLayer, TimeDistributed, …: {@link BaseWrapperLayer}s
 * whose getUpdaterByParam throws "Not supported"), the innermost wrapped layer. FrozenLayerWithBackprop answers for itself
 * (no updater).
 */
public final class ParamOwner {

    private ParamOwner() {
    }

    /** The configuration to ask for the updater and regularization of {@code layer}'s parameters. */
    public static Layer of(Layer layer) {
        Layer l = layer;
        while (l instanceof BaseWrapperLayer && !(l instanceof FrozenLayerWithBackprop)) {
            l = ((BaseWrapperLayer) l).getUnderlying();
        }
        return l;
    }
}
