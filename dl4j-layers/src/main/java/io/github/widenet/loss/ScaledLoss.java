package io.github.widenet.loss;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Objects;

/**
 * A loss multiplied by a constant: L'(ŷ, y) = factor · L(ŷ, y), with the gradient scaled alike. The lazy wrapper uses
 * factor = 1/α², so training α·(h(w) − h(w0)) minimises R(α·(h(w) − h(w0)))/α² as in Chizat–Oyallon–Bach.
 */
public class ScaledLoss implements ILossFunction {

    private ILossFunction base;
    private double factor;

    public ScaledLoss(@JsonProperty("base") ILossFunction base, @JsonProperty("factor") double factor) {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("loss factor must be finite and > 0, got " + factor);
        }
        this.base = Objects.requireNonNull(base, "base loss");
        this.factor = factor;
    }

    public ILossFunction getBase() {
        return base;
    }

    public void setBase(ILossFunction base) {
        this.base = base;
    }

    public double getFactor() {
        return factor;
    }

    public void setFactor(double factor) {
        this.factor = factor;
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        return factor * base.computeScore(labels, preOutput, activationFn, mask, average);
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return base.computeScoreArray(labels, preOutput, activationFn, mask).muli(factor);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return base.computeGradient(labels, preOutput, activationFn, mask).muli(factor);
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
                                                          INDArray mask, boolean average) {
        Pair<Double, INDArray> p = base.computeGradientAndScore(labels, preOutput, activationFn, mask, average);
        return new Pair<>(factor * p.getFirst(), p.getSecond().muli(factor));
    }

    @Override
    public String name() {
        return base.name() + "x" + factor;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScaledLoss && ((ScaledLoss) o).base.equals(base)
                && Double.compare(((ScaledLoss) o).factor, factor) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(base, factor);
    }

    @Override
    public String toString() {
        return "ScaledLoss(" + base + ", factor=" + factor + ")";
    }
}
