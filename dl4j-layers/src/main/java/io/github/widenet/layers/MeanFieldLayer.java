package io.github.widenet.layers;

/**
 * A two-layer block in the mean-field scaling: y = (1/m) · σ(x·W + b) · C, i.e. a {@link WidthScaledLayer} with
 * output scale m^-1. As m → ∞ the empirical distribution of the units (w_i, b_i, c_i) follows a Wasserstein gradient
 * flow (Chizat–Bach 2018; Mei–Montanari–Nguyen 2018) provided each unit moves O(1) per unit of time, i.e. SGD steps
 * of size η·m: {@code .meanFieldSgd(η)} (or {@code .meanFieldUpdater(base)}) gives the layer that updater from its
 * own m; an updater from {@link io.github.widenet.meanfield.MeanFieldTimeScale} scaled for another m is refused.
 * <pre>{@code
 * .layer(MeanFieldLayer.builder().nIn(784).units(10_000).nOut(10).activation(Activation.RELU)
 *        .meanFieldSgd(0.5).build())                 // steps 0.5 · 10,000
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
        private org.nd4j.linalg.learning.config.IUpdater meanFieldBase;

        public Builder() {
            this.scaleExponent = 1.0;
        }

        /** SGD with step η·m, m this layer's width: m is given once, in {@code units(m)}. */
        public Builder meanFieldSgd(double eta) {
            return meanFieldUpdater(new org.nd4j.linalg.learning.config.Sgd(eta));
        }

        /**
         * The SGD-type updater {@code base} (Sgd or Nesterovs, step or schedule η) with its steps multiplied by this
         * layer's width m at {@link #build()} ({@link io.github.widenet.meanfield.MeanFieldTimeScale#scale}).
         */
        public Builder meanFieldUpdater(org.nd4j.linalg.learning.config.IUpdater base) {
            this.meanFieldBase = java.util.Objects.requireNonNull(base, "meanFieldUpdater(base): base");
            return this;
        }

        /** Not settable: the mean-field exponent is 1. */
        @Override
        public Builder scaleExponent(double p) {
            throw new UnsupportedOperationException("MeanFieldLayer has output scale 1/m; use WidthScaledLayer.builder()"
                    + ".scaleExponent(" + p + ") for another exponent");
        }

        @Override
        public MeanFieldLayer build() {
            String where = "MeanFieldLayer" + (layerName == null ? "" : " '" + layerName + "'");
            if (meanFieldBase != null) {
                if (iupdater != null) {
                    throw new IllegalArgumentException(where + ": give either updater(...) or meanFieldSgd/"
                            + "meanFieldUpdater(...), not both");
                }
                if (units < 1) {
                    throw new IllegalArgumentException(where + ": units (the hidden width m) must be >= 1 to scale the "
                            + "updater's steps by m, got " + units);
                }
                iupdater = io.github.widenet.meanfield.MeanFieldTimeScale.scale(meanFieldBase, units);
            } else if (iupdater != null) {
                java.util.OptionalLong scaledFor = io.github.widenet.meanfield.MeanFieldTimeScale.unitsOf(iupdater);
                if (scaledFor.isPresent() && scaledFor.getAsLong() != units) {
                    throw new IllegalArgumentException(where + " has units m = " + units + " but its updater was "
                            + "scaled for m = " + scaledFor.getAsLong() + " (MeanFieldTimeScale with another width); "
                            + "give m once: .units(m).meanFieldSgd(eta)");
                }
            }
            return new MeanFieldLayer(this);
        }
    }
}
