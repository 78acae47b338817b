package io.github.widenet.internal.tangent;

import io.github.widenet.layers.MeanFieldLayer;
import io.github.widenet.layers.NtkLayer;
import io.github.widenet.layers.WidthScaledLayer;
import io.github.widenet.layers.runtime.WidthScaledLayerRuntime;
import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;
import java.util.Set;

/**
 * The two-layer block y = s·σ(x·W + b)·C: Ż = ẋ·W0 + x0·δW + δb, Ȧ = σ'(Z0) ⊙ Ż, ẏ = s·(Ȧ·C0 + A0·δC).
 */
final class WidthScaledTangent implements TangentRule {

    static final TangentRuleRegistration REGISTRATION = TangentRuleRegistration.of(
            "MeanFieldLayer/NtkLayer/WidthScaledLayer", WidthScaledTangent::new,
            Set.of(WidthScaledLayer.class, MeanFieldLayer.class, NtkLayer.class));

    @Override
    public INDArray pushForward(Layer layer, INDArray x0, INDArray h0, INDArray xDot, Map<String, INDArray> delta) {
        WidthScaledLayerRuntime block = (WidthScaledLayerRuntime) layer;
        WidthScaledLayer conf = block.layerConf();
        INDArray w0 = block.getParam(WidthScaledLayer.INPUT_WEIGHT_KEY);
        INDArray c0 = block.getParam(WidthScaledLayer.OUTPUT_WEIGHT_KEY);
        INDArray x = x0.castTo(w0.dataType());
        INDArray a0 = block.hiddenActivations(x0);
        INDArray zDot = Nd4j.gemm(x, delta.get(WidthScaledLayer.INPUT_WEIGHT_KEY), false, false);
        if (xDot != null) {
            Nd4j.gemm(xDot.castTo(w0.dataType()), w0, zDot, false, false, 1.0, 1.0);
        }
        zDot.addiRowVector(delta.get(WidthScaledLayer.BIAS_KEY));
        INDArray aDot = ActivationTangent.apply(conf.getActivationFn(), a0, zDot);
        INDArray yDot = Nd4j.gemm(aDot, c0, false, false);
        Nd4j.gemm(a0, delta.get(WidthScaledLayer.OUTPUT_WEIGHT_KEY), yDot, false, false, 1.0, 1.0);
        return yDot.muli(block.outputScale());
    }
}
