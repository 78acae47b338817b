package io.github.widenet.theory.pde.sgd;

import io.github.widenet.theory.pde.PiecewiseLinearSigma;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.HardTanhBp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.HardTanh;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The piecewise linear σ of {@link PiecewiseLinearSigma} as a DL4J activation, with its exact derivative:
 * <pre>
 *     σ(z) = s1 + κ (clip(z, t1, t2) − t1),    dL/dz = κ · 1{t1 &lt; z &lt; t2} · dL/dσ,   κ = (s2 − s1)/(t2 − t1)
 * </pre>
 * Serialises to JSON through its four bean properties (DL4J drops properties without getters and setters).
 */
public class PiecewiseLinearActivation extends BaseActivationFunction {

    private double t1;
    private double t2;
    private double s1;
    private double s2;

    /** For JSON deserialisation only. */
    public PiecewiseLinearActivation() {
        this(PiecewiseLinearSigma.PAPER);
    }

    public PiecewiseLinearActivation(PiecewiseLinearSigma sigma) {
        this.t1 = sigma.t1();
        this.t2 = sigma.t2();
        this.s1 = sigma.s1();
        this.s2 = sigma.s2();
    }

    /** The function this activation computes. */
    public PiecewiseLinearSigma sigma() {
        return new PiecewiseLinearSigma(t1, t2, s1, s2);
    }

    /**
     * σ(z) = (s1 + s2)/2 + (s2 − s1)/2 · hardtanh(u) with u = (z − c)/h, c = (t1 + t2)/2, h = (t2 − t1)/2: ND4J's fused
     * HardTanh op does the clipping.
     */
    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        toUnitInterval(in);
        Nd4j.getExecutioner().execAndReturn(new HardTanh(in));
        return in.muli((s2 - s1) / 2).addi((s1 + s2) / 2);
    }

    /** dL/dz = κ · 1{|u| &lt; 1} · dL/dσ, through ND4J's HardTanhBp on u. */
    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        assertShape(in, epsilon);
        toUnitInterval(in);
        Nd4j.getExecutioner().execAndReturn(new HardTanhBp(in, epsilon, in));
        return new Pair<>(in.muli((s2 - s1) / (t2 - t1)), null);
    }

    private void toUnitInterval(INDArray z) {
        z.subi((t1 + t2) / 2).muli(2 / (t2 - t1));
    }

    public double getT1() {
        return t1;
    }

    public void setT1(double t1) {
        this.t1 = t1;
    }

    public double getT2() {
        return t2;
    }

    public void setT2(double t2) {
        this.t2 = t2;
    }

    public double getS1() {
        return s1;
    }

    public void setS1(double s1) {
        this.s1 = s1;
    }

    public double getS2() {
        return s2;
    }

    public void setS2(double s2) {
        this.s2 = s2;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PiecewiseLinearActivation a && a.t1 == t1 && a.t2 == t2 && a.s1 == s1 && a.s2 == s2;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(t1, t2, s1, s2);
    }

    @Override
    public String toString() {
        return "piecewiseLinear(t1=" + t1 + ", t2=" + t2 + ", s1=" + s1 + ", s2=" + s2 + ")";
    }
}
