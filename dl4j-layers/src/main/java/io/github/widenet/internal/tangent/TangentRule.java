package io.github.widenet.internal.tangent;

import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * The Jacobian-vector product of one kind of layer: given the layer's primal input x0 and output h0 (at the parameters
 * w0), the tangent ẋ of its input and the tangents δ of its parameters, returns the tangent of its output
 * ḣ = ∂h/∂x·ẋ + ∂h/∂w·δ. Rules are exact (no finite differences) and use only the primal values, never the layer's
 * internal state, so they can run between the primal forward pass and backprop.
 */
public interface TangentRule {

    /**
     * @param layer the runtime layer (for its configuration)
     * @param x0    primal input (after the layer's preprocessor)
     * @param h0    primal output
     * @param xDot  tangent of the input, or null when the input does not depend on the parameters (first layer)
     * @param delta parameter tangents by DL4J parameter key ("W", "b", "C"); empty for parameterless layers
     * @return the output tangent (never null)
     */
    INDArray pushForward(Layer layer, INDArray x0, INDArray h0, INDArray xDot, Map<String, INDArray> delta);
}
