package io.github.widenet.internal.tangent;

import io.github.widenet.layers.NtkDenseLayer;
import io.github.widenet.layers.NtkParameterized;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;
import java.util.Set;

/**
 * Dense layers, h = σ(s_w·x·W + s_b·b) (DL4J's DenseLayer: s_w = s_b = 1; {@link NtkDenseLayer}: s_w = σ_w/√nIn,
 * s_b = σ_b): ż = s_w·(ẋ·W0 + x0·δW) + s_b·δb, ḣ = σ'(z0) ⊙ ż.
 */
final class AffineTangent implements TangentRule {

    static final TangentRuleRegistration REGISTRATION = new TangentRuleRegistration("DenseLayer, NtkDenseLayer",
            Set.of(DenseLayer.class, NtkDenseLayer.class), AffineTangent::new, (layer, where) -> {
                if (layer instanceof DenseLayer && ((DenseLayer) layer).hasLayerNorm()) {
                    throw new UnsupportedLayerException(where + " uses layer normalization, which has no tangent rule");
                }
            });

    @Override
    public INDArray pushForward(Layer layer, INDArray x0, INDArray h0, INDArray xDot, Map<String, INDArray> delta) {
        org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
        double sw = conf instanceof NtkParameterized ? ((NtkParameterized) conf).weightScale() : 1;
        double sb = conf instanceof NtkParameterized ? ((NtkParameterized) conf).getSigmaB() : 1;
        boolean bias = delta.get("b") != null;
        INDArray w0 = layer.getParam("W");
        INDArray x = x0.castTo(w0.dataType());
        INDArray zDot = Nd4j.gemm(x, delta.get("W"), false, false);
        if (xDot != null) {
            Nd4j.gemm(xDot.castTo(w0.dataType()), w0, zDot, false, false, 1.0, 1.0);
        }
        if (sw != 1) {
            zDot.muli(sw);
        }
        if (bias) {
            zDot.addiRowVector(delta.get("b").mul(sb));
        }
        return ActivationTangent.apply(((BaseLayer) conf).getActivationFn(), h0, zDot);
    }
}
