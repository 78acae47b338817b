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
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The tangent of an activation h = σ(z) computed from its output h0 (so the pre-activation need not be recomputed):
 * ḣ = σ'(z0) ⊙ ż with σ' written in terms of h0. Each rule is registered below beside its formula ({@link #RULES}):
 * the activation class it handles (exactly), the settings it accepts, and the formula; {@link #supports},
 * {@link #check} (whose message lists the rules) and {@link #apply} read the registry.
 */
public final class ActivationTangent {

    /** ḣ from h0 and ż ({@code zDot} may be overwritten). */
    @FunctionalInterface
    private interface Formula {
        INDArray apply(IActivation a, INDArray h0, INDArray zDot);
    }

    /** One activation's rule: its name in messages, its class, the settings it accepts, its formula. */
    private record Rule(String name, Class<? extends IActivation> type, Predicate<IActivation> accepts,
                        Formula formula) {

        static Rule of(String name, Class<? extends IActivation> type, Formula formula) {
            return new Rule(name, type, a -> true, formula);
        }
    }

    private static final List<Rule> RULES = List.of(
            Rule.of("identity", ActivationIdentity.class, (a, h0, zDot) -> zDot),
            // relu: σ' = 1[h0 > 0] (plain relu only: no threshold, negative slope or cap)
            new Rule("plain relu", ActivationReLU.class, a -> {
                ActivationReLU r = (ActivationReLU) a;
                return isZeroOrNull(r.getThreshold()) && isZeroOrNull(r.getNegativeSlope()) && r.getMax() == null;
            }, (a, h0, zDot) -> zDot.muli(h0.gt(0.0).castTo(zDot.dataType()))),
            // leaky relu: σ' = α + (1 − α)·1[h0 > 0]; the slope is read off the output's sign, so α ≥ 0
            new Rule("leakyrelu with alpha >= 0", ActivationLReLU.class, a -> ((ActivationLReLU) a).getAlpha() >= 0,
                    (a, h0, zDot) -> {
                        double alpha = ((ActivationLReLU) a).getAlpha();
                        return zDot.muli(h0.gt(0.0).castTo(zDot.dataType()).muli(1 - alpha).addi(alpha));
                    }),
            // elu: σ' = 1 for h0 > 0, else h0 + α (α ≥ 0)
            new Rule("elu with alpha >= 0", ActivationELU.class, a -> ((ActivationELU) a).getAlpha() >= 0,
                    (a, h0, zDot) -> {
                        double alpha = ((ActivationELU) a).getAlpha();
                        INDArray pos = h0.gt(0.0).castTo(zDot.dataType());
                        INDArray neg = pos.rsub(1.0).muli(h0.add(alpha));
                        return zDot.muli(pos.addi(neg));
                    }),
            // tanh: σ' = 1 − h0²
            Rule.of("tanh", ActivationTanH.class, (a, h0, zDot) -> zDot.muli(h0.mul(h0).rsubi(1.0))),
            // sigmoid: σ' = h0(1 − h0)
            Rule.of("sigmoid", ActivationSigmoid.class, (a, h0, zDot) -> zDot.muli(h0.rsub(1.0).muli(h0))),
            // softplus: σ' = 1 − e^(−h0)
            Rule.of("softplus", ActivationSoftPlus.class,
                    (a, h0, zDot) -> zDot.muli(Transforms.exp(h0.neg(), false).rsubi(1.0))),
            // softmax along the last dimension (as DL4J applies it, for any rank): ḣ = h0 ⊙ (ż − ⟨h0, ż⟩)
            Rule.of("softmax", ActivationSoftmax.class, ActivationTangent::softmax));

    private ActivationTangent() {
    }

    private static boolean isZeroOrNull(Double d) {
        return d == null || d == 0.0;
    }

    private static INDArray softmax(IActivation a, INDArray h0, INDArray zDot) {
        if (h0.rank() != 2) {
            long last = h0.size(h0.rank() - 1);
            INDArray h = h0.dup('c').reshape('c', h0.length() / last, last);
            INDArray z = zDot.dup('c').reshape('c', h0.length() / last, last);
            return z.subiColumnVector(h.mul(z).sum(true, 1)).muli(h).reshape('c', h0.shape());
        }
        INDArray inner = h0.mul(zDot).sum(true, 1);
        return zDot.subiColumnVector(inner).muli(h0);
    }

    /** The rule handling {@code a} (its exact class, with settings it accepts), or null. */
    private static Rule rule(IActivation a) {
        for (Rule r : RULES) {
            if (r.type() == a.getClass()) {
                return r.accepts().test(a) ? r : null;
            }
        }
        return null;
    }

    /** Whether {@link #apply} supports this activation; the message of {@link #check} names it otherwise. */
    public static boolean supports(IActivation a) {
        return rule(a) != null;
    }

    /** The supported activations, as listed in messages. */
    static String supported() {
        return RULES.stream().map(Rule::name).collect(Collectors.joining(", "));
    }

    /** Throws naming the activation and {@code where} if it is not supported. */
    public static void check(IActivation a, String where) {
        if (a != null && !supports(a)) {
            throw new UnsupportedLayerException(where + ": activation " + a + " has no tangent rule (supported: "
                    + supported() + ")");
        }
    }

    /** ḣ = σ'(z0) ⊙ ż from h0 = σ(z0); {@code zDot} may be overwritten; a null activation is the identity. */
    public static INDArray apply(IActivation a, INDArray h0, INDArray zDot) {
        if (a == null) {
            return zDot;
        }
        Rule r = rule(a);
        if (r == null) {
            throw new UnsupportedLayerException("activation " + a + " has no tangent rule (supported: " + supported()
                    + ")");
        }
        return r.formula().apply(a, h0, zDot);
    }
}
