package io.github.widenet.internal.norm;

import io.github.widenet.layers.BatchNormMode;

/**
 * A BatchNormalization that computes y = γ·(x − μ)/√(σ² + ε) + β with its running statistics μ, σ² in every pass,
 * training included ({@link BatchNormMode#INFERENCE}): affine in x, with a zero gradient for μ and σ².
 */
public class RunningStatsBatchNormalization extends FixedModeBatchNormalization {

    /** For JSON deserialisation and {@link BatchNormVariants}. */
    public RunningStatsBatchNormalization() {
    }

    @Override
    boolean batchStatistics() {
        return false;
    }
}
