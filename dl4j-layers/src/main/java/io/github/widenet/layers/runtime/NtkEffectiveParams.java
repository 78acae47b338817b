package io.github.widenet.layers.runtime;

import io.github.widenet.layers.NtkParameterized;
import org.deeplearning4j.nn.gradient.Gradient;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.Map;

/**
 * The NTK reparameterisation shared by {@link NtkDenseLayerRuntime} and {@link NtkConvolutionLayerRuntime}: the layer's standard DL4J math runs
 * on effective parameters W_eff = (σ_w/√fan_in)·W and b_eff = σ_b·b, and by the chain rule the gradients with respect
 * to the stored parameters are ∂L/∂W = (σ_w/√fan_in)·∂L/∂W_eff and ∂L/∂b = σ_b·∂L/∂b_eff. Effective copies live outside
 * workspaces and are reused between calls.
 */
final class NtkEffectiveParams {

    static final String WEIGHT_KEY = "W";
    static final String BIAS_KEY = "b";

    private final Map<String, INDArray> effective = new HashMap<>();

    /**
     * The effective value of a stored parameter (a reused buffer: valid until the next call for the same key), or null
     * when the layer has no such parameter (DL4J's dense code asks for the bias even when it has none).
     */
    INDArray effective(NtkParameterized conf, String key, INDArray stored) {
        if (stored == null) {
            return null;
        }
        double factor = factor(conf, key);
        INDArray out = effective.get(key);
        if (out == null || !out.equalShapes(stored) || out.dataType() != stored.dataType()
                || out.ordering() != stored.ordering()) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                out = Nd4j.createUninitialized(stored.dataType(), stored.shape(), stored.ordering());
            }
            effective.put(key, out);
        }
        return stored.mul(factor, out);
    }

    /** Turns gradients with respect to the effective parameters into gradients with respect to the stored ones. */
    void scaleGradients(NtkParameterized conf, Gradient gradient) {
        for (Map.Entry<String, INDArray> e : gradient.gradientForVariable().entrySet()) {
            e.getValue().muli(factor(conf, e.getKey()));
        }
    }

    private static double factor(NtkParameterized conf, String key) {
        switch (key) {
            case WEIGHT_KEY:
                return conf.weightScale();
            case BIAS_KEY:
                return conf.getSigmaB();
            default:
                throw new IllegalArgumentException("Unknown NTK parameter key '" + key + "'");
        }
    }
}
