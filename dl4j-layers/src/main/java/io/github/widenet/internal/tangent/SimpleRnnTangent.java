package io.github.widenet.internal.tangent;

import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;
import java.util.Set;

/**
 * DL4J's SimpleRnn, h_t = σ(x_t·W + h_{t−1}·R + b) with h_{−1} = 0:
 * ḣ_t = σ'(z_t) ⊙ (ẋ_t·W + x_t·δW + ḣ_{t−1}·R + h_{t−1}·δR + δb) (see {@link RecurrentTangent}).
 */
final class SimpleRnnTangent extends RecurrentTangent {

    static final TangentRuleRegistration REGISTRATION = new TangentRuleRegistration(
            "SimpleRnn (NCW, NWC; no layer normalization)", Set.of(SimpleRnn.class), SimpleRnnTangent::new,
            (layer, where) -> {
                if (((SimpleRnn) layer).hasLayerNorm()) {
                    throw new UnsupportedLayerException(where + " uses layer normalization, which has no tangent rule");
                }
            });

    @Override
    INDArray[] sequence(org.deeplearning4j.nn.conf.layers.Layer conf, Map<String, INDArray> params, INDArray x,
                        INDArray xDot, Map<String, INDArray> delta) {
        Weights p = Weights.of(params, delta);
        IActivation sigma = ((BaseLayer) conf).getActivationFn();
        long steps = x.size(2);
        INDArray out = Nd4j.create(p.w().dataType(), x.size(0), p.w().size(1), steps);
        INDArray primal = Nd4j.create(p.w().dataType(), x.size(0), p.w().size(1), steps);
        INDArray h = null;
        INDArray hDot = null;
        for (long t = 0; t < steps; t++) {
            INDArray xt = step(x, t);
            INDArray z = xt.mmul(p.w()).addiRowVector(p.b());
            INDArray zDot = xt.mmul(p.dW()).addiRowVector(p.dB());
            if (xDot != null) {
                zDot.addi(step(xDot, t).mmul(p.w()));
            }
            if (h != null) {
                z.addi(h.mmul(p.r()));
                zDot.addi(h.mmul(p.dR())).addi(hDot.mmul(p.r()));
            }
            h = sigma.getActivation(z, false);
            hDot = ActivationTangent.apply(sigma, h, zDot);
            putStep(out, t, hDot);
            putStep(primal, t, h);
        }
        return new INDArray[]{primal, out};
    }
}
