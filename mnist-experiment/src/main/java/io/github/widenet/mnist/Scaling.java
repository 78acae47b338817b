package io.github.widenet.mnist;

import io.github.widenet.layers.WidthScaledLayer;
import io.github.widenet.meanfield.MeanFieldTimeScale;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.Locale;

/**
 * The two regimes compared by the experiment. Mean field: output scale 1/m and SGD steps η·m (each unit moves O(1)).
 * NTK: output scale 1/√m and steps η (each unit moves O(1/√m); the function still moves O(1)). Both start from the same
 * i.i.d. units, so with one seed the two runs of a width share their initial parameters.
 */
public enum Scaling {
    MEAN_FIELD("mean-field", 1.0),
    NTK("ntk", 0.5);

    private final String label;
    private final double exponent;

    Scaling(String label, double exponent) {
        this.label = label;
        this.exponent = exponent;
    }

    public String label() {
        return label;
    }

    /** Exponent p of the output scale m^-p. */
    public double exponent() {
        return exponent;
    }

    /** The SGD updater of a block of m units for base step η. */
    public IUpdater updater(double eta, long units) {
        return this == MEAN_FIELD ? MeanFieldTimeScale.sgd(eta, units) : new Sgd(eta);
    }

    /**
     * The 784 → m → 10 block, as the first layer of its network: no input gradient (a third of the step's flops; the
     * training is bit-identical).
     */
    public WidthScaledLayer layer(int nIn, long units, int nOut, Activation activation, double eta) {
        return WidthScaledLayer.builder().nIn(nIn).units(units).nOut(nOut).scaleExponent(exponent)
                .activation(activation).updater(updater(eta, units)).inputGradient(false).name("units").build();
    }

    /** Parses "mean-field", "mf", "ntk" (case-insensitive). */
    public static Scaling parse(String s) {
        switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "mean-field":
            case "meanfield":
            case "mf":
                return MEAN_FIELD;
            case "ntk":
                return NTK;
            default:
                throw new IllegalArgumentException("unknown scaling '" + s + "' (use mean-field or ntk)");
        }
    }
}
