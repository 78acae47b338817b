package io.github.widenet.layers;

/**
 * A two-layer block in the mean-field scaling: y = (1/m) · σ(x·W + b) · C, i.e. a {@link WidthScaledLayer} with
 * output scale m^-1. As m → ∞ the empirical distribution of the units (w_i, b_i, c_i) follows a Wasserstein gradient
 * flow (Chizat–Bach 2018; Mei–Montanari–Nguyen 2018) provided each unit moves O(1) per unit of time, i.e. SGD steps
 * of size η·m: use {@link io.github.widenet.meanfield.MeanFieldTimeScale} to get that updater.
 * <pre>{@code
 * .layer(MeanFieldLayer.builder().nIn(784).units(10_000).nOut(10).activation(Activation.RELU)
 *        .updater(MeanFieldTimeScale.sgd(0.5, 10_000)).build())
 * }</pre>
 */
public class MeanFieldLayer extends WidthScaledLayer {

    /** For JSON deserialisation only. */
    public MeanFieldLayer() {
        setScaleExponent(1.0);
    }

    private MeanFieldLayer(Builder builder) {
        super(builder);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void setScaleExponent(double scaleExponent) {
        if (scaleExponent != 1.0) {
            throw new IllegalArgumentException("MeanFieldLayer has output scale 1/m (exponent 1), got exponent "
                    + scaleExponent + "; use WidthScaledLayer for other exponents");
        }
        super.setScaleExponent(scaleExponent);
    }

    /** Builder of a {@link MeanFieldLayer}: {@code .nIn(d).units(m).nOut(k).activation(...)}. */
    public static class Builder extends WidthScaledLayer.Builder<Builder> {
        public Builder() {
            this.scaleExponent = 1.0;
        }

        /** Not settable: the mean-field exponent is 1. */
        @Override
        public Builder scaleExponent(double p) {
            throw new UnsupportedOperationException("MeanFieldLayer has output scale 1/m; use WidthScaledLayer.builder()"
                    + ".scaleExponent(" + p + ") for another exponent");
        }

        @Override
        public MeanFieldLayer build() {
            return new MeanFieldLayer(this);
        }
    }
}
