package io.github.widenet.layers.params;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * The common end of every layer configuration's {@code instantiate}: give the new runtime layer its listeners, index,
 * parameter view and parameter table (created or checked by the configuration's initializer), as DL4J's own layers do.
 */
public final class LayerWiring {

    private LayerWiring() {
    }

    public static <L extends Layer> L wire(L runtime, NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                           int layerIndex, INDArray paramsView, boolean initializeParams) {
        runtime.setListeners(listeners);
        runtime.setIndex(layerIndex);
        runtime.setParamsViewArray(paramsView);
        runtime.setParamTable(conf.getLayer().initializer().init(conf, paramsView, initializeParams));
        runtime.setConf(conf);
        return runtime;
    }
}
