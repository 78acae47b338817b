package io.github.widenet.meanfield;

import io.github.widenet.layers.WidthScaledLayer;
import io.github.widenet.layers.runtime.WidthScaledLayerRuntime;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The hidden units of a width-scaled block as particles: an m × (nIn + 1 + nOut) matrix whose row i is
 * (w_i, b_i, c_i) = (column i of W, b_i, row i of C). This is the empirical measure (1/m) Σ δ_{θ_i} whose limit the
 * mean-field theory describes; histograms and distances between widths are computed from it.
 */
public final class UnitParameters {

    private UnitParameters() {
    }

    /** A copy of the units' parameters of a runtime block, as an m × (nIn + 1 + nOut) matrix. */
    public static INDArray of(WidthScaledLayerRuntime block) {
        INDArray w = block.getParam(WidthScaledLayer.INPUT_WEIGHT_KEY);   // nIn × m
        INDArray b = block.getParam(WidthScaledLayer.BIAS_KEY);           // 1 × m
        INDArray c = block.getParam(WidthScaledLayer.OUTPUT_WEIGHT_KEY);  // m × nOut
        return Nd4j.hstack(w.transpose(), b.reshape(b.length(), 1), c).dup('c');
    }

    /** The units of layer {@code index} of a MultiLayerNetwork, which must be a width-scaled block. */
    public static INDArray of(MultiLayerNetwork net, int index) {
        return of(requireBlock(net.getLayer(index), "layer " + index));
    }

    /** The units of the named layer of a ComputationGraph, which must be a width-scaled block. */
    public static INDArray of(ComputationGraph graph, String layerName) {
        return of(requireBlock(graph.getLayer(layerName), "layer '" + layerName + "'"));
    }

    private static WidthScaledLayerRuntime requireBlock(Layer layer, String where) {
        if (layer == null) {
            throw new IllegalArgumentException("No " + where + " in this network");
        }
        if (!(layer instanceof WidthScaledLayerRuntime)) {
            throw new IllegalArgumentException(where + " is a " + layer.getClass().getSimpleName()
                    + ", not a width-scaled block (MeanFieldLayer, NtkLayer or WidthScaledLayer)");
        }
        return (WidthScaledLayerRuntime) layer;
    }
}
