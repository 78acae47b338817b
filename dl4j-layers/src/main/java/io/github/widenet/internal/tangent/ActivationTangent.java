package io.github.widenet.internal.tangent;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftPlus;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The tangent of an activation h = σ(z) computed from its output h0 (so the pre-activation need not be recomputed):
 * ḣ = σ'(z0) ⊙ ż with σ' written in terms of h0 — relu: 1[h0 > 0]; leaky relu: 1 or α; tanh: 1 − h0²;
 * sigmoid: h0(1 − h0); softplus: 1 − e^(−h0); elu: 1 for h0 > 0 else h0 + α; identity: 1; softmax (along the last
 * dimension, as DL4J applies it): ḣ = h0 ⊙ (ż − ⟨h0, ż⟩). Leaky relu and elu need α ≥ 0 for these formulas.
 */
public final class ActivationTangent {

    private ActivationTangent() {
    }

    /** Whether {@link #apply} supports this activation; the message of {@link #check} names it otherwise. */
    public static boolean supports(IActivation a) {
        if (a instanceof ActivationReLU) {
            ActivationReLU r = (ActivationReLU) a;
            return isZeroOrNull(r.getThreshold()) && isZeroOrNull(r.getNegativeSlope()) && r.getMax() == null;
        }
        if (a instanceof ActivationLReLU) {
            return ((ActivationLReLU) a).getAlpha() >= 0;      // the slope is read off the output's sign
        }
        if (a instanceof ActivationELU) {
            return ((ActivationELU) a).getAlpha() >= 0;
        }
        return a instanceof ActivationIdentity || a instanceof ActivationTanH || a instanceof ActivationSigmoid
                || a instanceof ActivationSoftPlus || a instanceof ActivationSoftmax;
    }

    private static boolean isZeroOrNull(Double d) {
        return d == null || d == 0.0;
    }

    /** Throws naming the activation and {@code where} if it is not supported. */
    public static void check(IActivation a, String where) {
        if (a != null && !supports(a)) {
            throw new UnsupportedLayerException(where + ": activation " + a + " has no tangent rule (supported: identity, "
                    + "plain relu, leakyrelu and elu with alpha >= 0, tanh, sigmoid, softplus, softmax)");
        }
    }

    /** ḣ = σ'(z0) ⊙ ż from h0 = σ(z0); {@code zDot} may be overwritten. */
    public static INDArray apply(IActivation a, INDArray h0, INDArray zDot) {
        if (a == null || a instanceof ActivationIdentity) {
            return zDot;
        }
        if (a instanceof ActivationReLU) {
            return zDot.muli(h0.gt(0.0).castTo(zDot.dataType()));
        }
        if (a instanceof ActivationLReLU) {
            double alpha = ((ActivationLReLU) a).getAlpha();
            INDArray pos = h0.gt(0.0).castTo(zDot.dataType());
            // slope = alpha + (1 - alpha)·1[h0 > 0]
            return zDot.muli(pos.muli(1 - alpha).addi(alpha));
        }
        if (a instanceof ActivationTanH) {
            return zDot.muli(h0.mul(h0).rsubi(1.0));
        }
        if (a instanceof ActivationSigmoid) {
            return zDot.muli(h0.rsub(1.0).muli(h0));
        }
        if (a instanceof ActivationSoftPlus) {
            return zDot.muli(Transforms.exp(h0.neg(), false).rsubi(1.0));
        }
        if (a instanceof ActivationELU) {
            double alpha = ((ActivationELU) a).getAlpha();
            INDArray pos = h0.gt(0.0).castTo(zDot.dataType());
            INDArray neg = pos.rsub(1.0).muli(h0.add(alpha));
            return zDot.muli(pos.addi(neg));
        }
        if (a instanceof ActivationSoftmax) {
            // DL4J's softmax acts along the last dimension, for any rank
            if (h0.rank() != 2) {
                long last = h0.size(h0.rank() - 1);
                INDArray h = h0.dup('c').reshape('c', h0.length() / last, last);
                INDArray z = zDot.dup('c').reshape('c', h0.length() / last, last);
                return z.subiColumnVector(h.mul(z).sum(true, 1)).muli(h).reshape('c', h0.shape());
            }
            INDArray inner = h0.mul(zDot).sum(true, 1);
            return zDot.subiColumnVector(inner).muli(h0);
        }
        throw new UnsupportedLayerException("activation " + a + " has no tangent rule");
    }
}
