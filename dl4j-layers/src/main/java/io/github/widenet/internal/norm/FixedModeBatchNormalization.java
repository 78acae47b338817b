package io.github.widenet.internal.norm;

import io.github.widenet.internal.params.LayerWiring;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * A DL4J {@link BatchNormalization} that computes in one mode in every pass (see {@link FixedModeBatchNormRuntime}), with
 * the settings and parameters of the layer it replaces inside a wrapped network.
 */
abstract class FixedModeBatchNormalization extends BatchNormalization {

    /** Whether the layer normalises with the minibatch's statistics (else with its running statistics). */
    abstract boolean batchStatistics();

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray paramsView, boolean initializeParams,
                                                       DataType networkDataType) {
        return LayerWiring.wire(new FixedModeBatchNormRuntime(conf, networkDataType, batchStatistics()), conf, listeners,
                layerIndex, paramsView, initializeParams);
    }
}
