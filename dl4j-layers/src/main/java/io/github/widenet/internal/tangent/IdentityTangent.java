package io.github.widenet.internal.tangent;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;
import java.util.Set;

/** A parameter-free identity layer (e.g. a DropoutLayer whose dropout is off): ḣ = ẋ. */
final class IdentityTangent implements TangentRule {

    /** DropoutLayer: {@link TangentRules#check} rejects it when its dropout is active, like any layer's dropout. */
    static final TangentRuleRegistration REGISTRATION = TangentRuleRegistration.of("DropoutLayer without dropout",
            IdentityTangent::new, Set.of(DropoutLayer.class));

    @Override
    public INDArray pushForward(Layer layer, INDArray x0, INDArray h0, INDArray xDot, Map<String, INDArray> delta) {
        return xDot == null ? Nd4j.zeros(h0.dataType(), h0.shape()) : xDot.castTo(h0.dataType());
    }
}
