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
 * A DL4J {@link BatchNormalization} that computes y = γ·(x − μ)/√(σ² + ε) + β with its running statistics μ, σ² in
 * every pass, training included ({@link BatchNormMode#INFERENCE}): affine in x, with the backprop of that affine map
 * and a zero gradient for μ and σ², which therefore never change. Same settings and parameters as the layer it
 * replaces inside a wrapped network.
 */
public class RunningStatsBatchNormalization extends BatchNormalization {

    /** For JSON deserialisation and {@link BatchNormVariants}. */
    public RunningStatsBatchNormalization() {
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray paramsView, boolean initializeParams,
                                                       DataType networkDataType) {
        return LayerWiring.wire(new RunningStatsRuntime(conf, networkDataType), conf, listeners, layerIndex, paramsView,
                initializeParams);
    }
}
