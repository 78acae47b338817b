package io.github.widenet.layers;

/**
 * A layer in NTK parameterization: parameters are drawn N(0, 1) and the layer uses the effective parameters
 * W_eff = (σ_w/√fan_in) · W and b_eff = σ_b · b, so that z = (σ_w/√fan_in) · (W applied to x) + σ_b · b
 * (Jacot–Gabriel–Hongler 2018; the "ntk" parameterization of neural-tangents' stax layers).
 */
public interface NtkParameterized {

    /** σ_w, the weight scale. */
    double getSigmaW();

    /** σ_b, the bias scale. */
    double getSigmaB();

    /** Number of inputs feeding one output unit: nIn for dense layers, nIn·kH·kW for convolutions. */
    long fanIn();

    /** The factor σ_w/√fan_in that turns the stored weights into the effective ones. */
    default double weightScale() {
        return getSigmaW() / Math.sqrt(fanIn());
    }

    /** Checks σ_w and σ_b; the message names the layer. */
    static void validateScales(String layer, double sigmaW, double sigmaB) {
        if (!(sigmaW > 0) || Double.isInfinite(sigmaW)) {
            throw new IllegalArgumentException(layer + ": sigmaW must be finite and > 0, got " + sigmaW);
        }
        if (!(sigmaB >= 0) || Double.isInfinite(sigmaB)) {
            throw new IllegalArgumentException(layer + ": sigmaB must be finite and >= 0, got " + sigmaB);
        }
    }
}
