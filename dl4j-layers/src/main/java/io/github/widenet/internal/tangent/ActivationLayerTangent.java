package io.github.widenet.internal.tangent;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;
import java.util.Set;

/** An activation layer h = σ(x): ḣ = σ'(x0) ⊙ ẋ. */
final class ActivationLayerTangent implements TangentRule {

    static final TangentRuleRegistration REGISTRATION = new TangentRuleRegistration("ActivationLayer",
            Set.of(ActivationLayer.class), ActivationLayerTangent::new,
            (layer, where) -> ActivationTangent.check(((ActivationLayer) layer).getActivationFn(), where));

    @Override
    public INDArray pushForward(Layer layer, INDArray x0, INDArray h0, INDArray xDot, Map<String, INDArray> delta) {
        if (xDot == null) {
            return Nd4j.zeros(h0.dataType(), h0.shape());
        }
        return ActivationTangent.apply(((ActivationLayer) layer.conf().getLayer()).getActivationFn(), h0,
                xDot.castTo(h0.dataType()).dup());
    }
}
