package io.github.widenet.internal.tangent;

import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.params.SimpleRnnParamInitializer;
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
        INDArray w = params.get(SimpleRnnParamInitializer.WEIGHT_KEY);
        INDArray r = params.get(SimpleRnnParamInitializer.RECURRENT_WEIGHT_KEY);
        INDArray b = params.get(SimpleRnnParamInitializer.BIAS_KEY);
        INDArray dW = delta.get(SimpleRnnParamInitializer.WEIGHT_KEY);
        INDArray dR = delta.get(SimpleRnnParamInitializer.RECURRENT_WEIGHT_KEY);
        INDArray dB = delta.get(SimpleRnnParamInitializer.BIAS_KEY);
        IActivation sigma = ((BaseLayer) conf).getActivationFn();
        long steps = x.size(2);
        INDArray out = Nd4j.create(w.dataType(), x.size(0), w.size(1), steps);
        INDArray primal = Nd4j.create(w.dataType(), x.size(0), w.size(1), steps);
        INDArray h = null;
        INDArray hDot = null;
        for (long t = 0; t < steps; t++) {
            INDArray xt = step(x, t);
            INDArray z = xt.mmul(w).addiRowVector(b);
            INDArray zDot = xt.mmul(dW).addiRowVector(dB);
            if (xDot != null) {
                zDot.addi(step(xDot, t).mmul(w));
            }
            if (h != null) {
                z.addi(h.mmul(r));
                zDot.addi(h.mmul(dR)).addi(hDot.mmul(r));
            }
            h = sigma.getActivation(z, false);
            hDot = ActivationTangent.apply(sigma, h, zDot);
            putStep(out, t, hDot);
            putStep(primal, t, h);
        }
        return new INDArray[]{primal, out};
    }
}
