package io.github.widenet.internal.params;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * The common end of every layer configuration's {@code instantiate}: give the new runtime layer its listeners, index,
 * parameter view and parameter table (created or checked by the configuration's initializer), as DL4J's own layers do.
 * Weight noise and DropConnect are refused here: the project's runtimes compute with their own (scaled) parameters and
 * would silently ignore them.
 */
public final class LayerWiring {

    private LayerWiring() {
    }

    public static <L extends Layer> L wire(L runtime, NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                           int layerIndex, INDArray paramsView, boolean initializeParams) {
        if (conf.getLayer() instanceof org.deeplearning4j.nn.conf.layers.BaseLayer
                && ((org.deeplearning4j.nn.conf.layers.BaseLayer) conf.getLayer()).getWeightNoise() != null) {
            throw new IllegalStateException(ParamChecks.describe(conf.getLayer()) + " (layer " + layerIndex + "): weight "
                    + "noise / DropConnect (" + ((org.deeplearning4j.nn.conf.layers.BaseLayer) conf.getLayer())
                    .getWeightNoise() + ") is not supported by this layer; remove it");
        }
        runtime.setListeners(listeners);
        runtime.setIndex(layerIndex);
        runtime.setParamsViewArray(paramsView);
        runtime.setParamTable(conf.getLayer().initializer().init(conf, paramsView, initializeParams));
        runtime.setConf(conf);
        return runtime;
    }
}
