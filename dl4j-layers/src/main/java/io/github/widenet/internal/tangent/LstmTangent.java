package io.github.widenet.internal.tangent;

import org.deeplearning4j.nn.conf.layers.AbstractLSTM;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.GravesLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;
import java.util.Set;

/**
 * DL4J's LSTM (no peepholes), with z_t = x_t·W + h_{t−1}·R + b split by columns into the blocks [a | f | o | i] of n
 * units each (DL4J's order): a = g(z_a), f = s(z_f), o = s(z_o), i = s(z_i) (g the layer's activation, s the gate
 * activation), c_t = f⊙c_{t−1} + i⊙a, h_t = o⊙g(c_t), c_{−1} = h_{−1} = 0. Tangent:
 * ż_t = ẋ_t·W + x_t·δW + ḣ_{t−1}·R + h_{t−1}·δR + δb, each gate's tangent its activation's derivative times its block
 * of ż, ċ_t = ḟ⊙c_{t−1} + f⊙ċ_{t−1} + i̇⊙a + i⊙ȧ, ḣ_t = ȯ⊙g(c_t) + o⊙g'(c_t)⊙ċ_t (see {@link RecurrentTangent}).
 * GravesLSTM adds peepholes, R's last three columns p_f, p_o, p_i: z_f += c_{t−1}⊙p_f, z_i += c_{t−1}⊙p_i,
 * z_o += c_t⊙p_o, whose tangents add ċ⊙p + c⊙δp to the same blocks.
 */
final class LstmTangent extends RecurrentTangent {

    static final TangentRuleRegistration REGISTRATION = new TangentRuleRegistration("LSTM (NCW, NWC)", Set.of(LSTM.class),
            () -> new LstmTangent(false), LstmTangent::checkGates);

    static final TangentRuleRegistration GRAVES = new TangentRuleRegistration("GravesLSTM (NCW, NWC; peepholes)",
            Set.of(GravesLSTM.class), () -> new LstmTangent(true), LstmTangent::checkGates);

    private final boolean peepholes;

    private LstmTangent(boolean peepholes) {
        this.peepholes = peepholes;
    }

    private static void checkGates(org.deeplearning4j.nn.conf.layers.Layer layer, String where) {
        ActivationTangent.check(((AbstractLSTM) layer).getGateActivationFn(), where + " (gate activation)");
    }

    /** Column k of a peephole block of R, as a row [1, n]. */
    private static INDArray peephole(INDArray r, long column) {
        return columns(r, column, column + 1).reshape(1, r.size(0));
    }

    @Override
    INDArray[] sequence(org.deeplearning4j.nn.conf.layers.Layer conf, Map<String, INDArray> params, INDArray x,
                        INDArray xDot, Map<String, INDArray> delta) {
        Weights p = Weights.of(params, delta);
        INDArray r = p.r();                      // without the peephole columns below (GravesLSTM)
        INDArray dR = p.dR();
        IActivation g = ((BaseLayer) conf).getActivationFn();
        IActivation s = ((AbstractLSTM) conf).getGateActivationFn();
        long n = r.size(0);
        long steps = x.size(2);
        INDArray out = Nd4j.create(p.w().dataType(), x.size(0), n, steps);
        INDArray primal = Nd4j.create(p.w().dataType(), x.size(0), n, steps);
        INDArray pf = null, po = null, pi = null, dPf = null, dPo = null, dPi = null;
        if (peepholes) {
            pf = peephole(r, 4 * n);
            po = peephole(r, 4 * n + 1);
            pi = peephole(r, 4 * n + 2);
            dPf = peephole(dR, 4 * n);
            dPo = peephole(dR, 4 * n + 1);
            dPi = peephole(dR, 4 * n + 2);
            r = columns(r, 0, 4 * n);
            dR = columns(dR, 0, 4 * n);
        }
        INDArray h = null, hDot = null, c = null, cDot = null;
        for (long t = 0; t < steps; t++) {
            INDArray xt = step(x, t);
            INDArray z = xt.mmul(p.w()).addiRowVector(p.b());
            INDArray zDot = xt.mmul(p.dW()).addiRowVector(p.dB());
            if (xDot != null) {
                zDot.addi(step(xDot, t).mmul(p.w()));
            }
            if (h != null) {
                z.addi(h.mmul(r));
                zDot.addi(h.mmul(dR)).addi(hDot.mmul(r));
            }
            INDArray zf = columns(z, n, 2 * n), zfDot = columns(zDot, n, 2 * n);
            INDArray zo = columns(z, 2 * n, 3 * n), zoDot = columns(zDot, 2 * n, 3 * n);
            INDArray zi = columns(z, 3 * n, 4 * n), ziDot = columns(zDot, 3 * n, 4 * n);
            if (peepholes && c != null) {
                zf.addi(c.mulRowVector(pf));
                zfDot.addi(cDot.mulRowVector(pf)).addi(c.mulRowVector(dPf));
                zi.addi(c.mulRowVector(pi));
                ziDot.addi(cDot.mulRowVector(pi)).addi(c.mulRowVector(dPi));
            }
            INDArray a = g.getActivation(columns(z, 0, n), false);
            INDArray f = s.getActivation(zf, false);
            INDArray i = s.getActivation(zi, false);
            INDArray aDot = ActivationTangent.apply(g, a, columns(zDot, 0, n));
            INDArray fDot = ActivationTangent.apply(s, f, zfDot);
            INDArray iDot = ActivationTangent.apply(s, i, ziDot);
            INDArray cNew = i.mul(a);
            INDArray cDotNew = iDot.mul(a).addi(i.mul(aDot));
            if (c != null) {
                cNew.addi(f.mul(c));
                cDotNew.addi(fDot.mul(c)).addi(f.mul(cDot));
            }
            c = cNew;
            cDot = cDotNew;
            if (peepholes) {
                zo.addi(c.mulRowVector(po));
                zoDot.addi(cDot.mulRowVector(po)).addi(c.mulRowVector(dPo));
            }
            INDArray o = s.getActivation(zo, false);
            INDArray oDot = ActivationTangent.apply(s, o, zoDot);
            INDArray gc = g.getActivation(c.dup(), false);
            INDArray gcDot = ActivationTangent.apply(g, gc, cDot.dup());
            h = o.mul(gc);
            hDot = oDot.muli(gc).addi(o.mul(gcDot));
            putStep(out, t, hDot);
            putStep(primal, t, h);
        }
        return new INDArray[]{primal, out};
    }
}
