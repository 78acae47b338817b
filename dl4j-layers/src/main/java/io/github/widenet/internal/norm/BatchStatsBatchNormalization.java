package io.github.widenet.internal.norm;

import io.github.widenet.internal.params.LayerWiring;
import io.github.widenet.layers.BatchNormMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * A DL4J {@link BatchNormalization} that normalises with the statistics of the minibatch in every pass, inference
 * included ({@link BatchNormMode#TRAINING}): DL4J's training-mode forward pass and backprop, with a zero gradient for the
 * running statistics (unused, so they never change). Same settings and parameters as the layer it replaces inside a
 * wrapped network.
 */
public class BatchStatsBatchNormalization extends BatchNormalization {

    /** For JSON deserialisation and {@link BatchNormVariants}. */
    public BatchStatsBatchNormalization() {
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray paramsView, boolean initializeParams,
                                                       DataType networkDataType) {
        return LayerWiring.wire(new BatchStatsRuntime(conf, networkDataType), conf, listeners, layerIndex, paramsView,
                initializeParams);
    }
}
