package io.github.widenet.layers;

/**
 * A two-layer block in the neural-tangent scaling: y = (1/√m) · σ(x·W + b) · C, i.e. a {@link WidthScaledLayer} with
 * output scale m^-1/2 and the same i.i.d. initialisation. With a fixed step size, as m → ∞ each unit moves
 * O(1/√m) and the network trains like its linearisation at initialisation: kernel regression with the neural
 * tangent kernel (Jacot–Gabriel–Hongler 2018).
 * <pre>{@code
 * .layer(NtkLayer.builder().nIn(784).units(10_000).nOut(10).activation(Activation.RELU).build())
 * }</pre>
 */
public class NtkLayer extends WidthScaledLayer {

    /** For JSON deserialisation only. */
    public NtkLayer() {
        setScaleExponent(0.5);
    }

    private NtkLayer(Builder builder) {
        super(builder);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void setScaleExponent(double scaleExponent) {
        if (scaleExponent != 0.5) {
            throw new IllegalArgumentException("NtkLayer has output scale 1/sqrt(m) (exponent 1/2), got exponent "
                    + scaleExponent + "; use WidthScaledLayer for other exponents");
        }
        super.setScaleExponent(scaleExponent);
    }

    /** Builder of a {@link NtkLayer}: {@code .nIn(d).units(m).nOut(k).activation(...)}. */
    public static class Builder extends WidthScaledLayer.Builder<Builder> {
        public Builder() {
            this.scaleExponent = 0.5;
        }

        /** Not settable: the NTK exponent is 1/2. */
        @Override
        public Builder scaleExponent(double p) {
            throw new UnsupportedOperationException("NtkLayer has output scale 1/sqrt(m); use WidthScaledLayer.builder()"
                    + ".scaleExponent(" + p + ") for another exponent");
        }

        @Override
        public NtkLayer build() {
            return new NtkLayer(this);
        }
    }
}
