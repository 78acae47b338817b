package io.github.widenet.internal.tangent;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;
import java.util.Set;

/**
 * Embedding layers, h = σ(W[k] + b) for the integer inputs k (EmbeddingLayer: [N, 1] → [N, nOut];
 * EmbeddingSequenceLayer: [N, T] → [N, nOut, T] or NWC): the input has no tangent (it is piecewise constant, and DL4J
 * passes it no gradient), so ḣ = σ'(z0) ⊙ (δW[k] + δb), the gather of the weight tangent's rows at the inputs — computed
 * by DL4J's own forward pass of a private copy of the layer with W = δW, b = δb (see {@link MultilinearTangent}).
 * Softmax is refused on EmbeddingSequenceLayer (DL4J applies it per position, across units, not along the output's last
 * axis).
 */
final class EmbeddingTangent implements TangentRule {

    static final TangentRuleRegistration REGISTRATION = new TangentRuleRegistration(
            "EmbeddingLayer, EmbeddingSequenceLayer (the integer input has no tangent)",
            Set.of(EmbeddingLayer.class, EmbeddingSequenceLayer.class), EmbeddingTangent::new, (layer, where) -> {
                if (layer instanceof EmbeddingSequenceLayer
                        && ((EmbeddingSequenceLayer) layer).getActivationFn() instanceof ActivationSoftmax) {
                    throw new UnsupportedLayerException(where + " uses softmax, which has no tangent rule on "
                            + "EmbeddingSequenceLayer (use identity and a separate activation)");
                }
            });

    private final MultilinearTangent gather = new MultilinearTangent();

    @Override
    public INDArray pushForward(Layer layer, INDArray x0, INDArray h0, INDArray xDot, Map<String, INDArray> delta) {
        return gather.pushForward(layer, x0, h0, null, delta);
    }
}
