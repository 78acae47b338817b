package io.github.widenet.internal.tangent;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Frozen layers (DL4J's transfer learning): the frozen parameters are constants, ḣ = ∂h/∂x·ẋ — the inner layer's rule
 * with δ = 0 (the inner layer runs as at inference, so a frozen BatchNormalization uses its running statistics).
 * FrozenLayerWithBackprop passes the input's tangent through; FrozenLayer passes no gradient to the layers below it in
 * DL4J, so its output is a constant of the trained model and its tangent is 0.
 */
final class FrozenTangent implements TangentRule {

    static final TangentRuleRegistration REGISTRATION = new TangentRuleRegistration(
            "FrozenLayer, FrozenLayerWithBackprop (of a supported layer; frozen parameters constant)",
            Set.of(FrozenLayer.class, FrozenLayerWithBackprop.class), FrozenTangent::new,
            (layer, where) -> {
                org.deeplearning4j.nn.conf.layers.Layer inner = inner(layer);
                if (inner.getClass() != BatchNormalization.class) {
                    TangentRules.checkLayer(inner, where + ", frozen layer");
                }
            });

    private TangentRule rule;

    private static org.deeplearning4j.nn.conf.layers.Layer inner(org.deeplearning4j.nn.conf.layers.Layer frozen) {
        return frozen instanceof FrozenLayer ? ((FrozenLayer) frozen).getLayer()
                : ((FrozenLayerWithBackprop) frozen).getUnderlying();
    }

    @Override
    public INDArray pushForward(Layer layer, INDArray x0, INDArray h0, INDArray xDot, Map<String, INDArray> delta) {
        if (xDot == null || layer instanceof org.deeplearning4j.nn.layers.FrozenLayer) {
            return Nd4j.zeros(h0.dataType(), h0.shape());
        }
        Layer inside = ((BaseWrapperLayer) layer).getUnderlying();
        org.deeplearning4j.nn.conf.layers.Layer conf = inside.conf().getLayer();
        if (rule == null) {
            rule = conf.getClass() == BatchNormalization.class ? BatchNormTangent.INFERENCE.rule().get()
                    : TangentRules.forLayer(conf, "frozen layer");
        }
        Map<String, INDArray> constant = new HashMap<>();
        for (Map.Entry<String, INDArray> e : inside.paramTable().entrySet()) {
            constant.put(e.getKey(), Nd4j.zeros(e.getValue().dataType(), e.getValue().shape()));
        }
        return rule.pushForward(inside, x0, h0, xDot, constant);
    }
}
