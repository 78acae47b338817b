package io.github.widenet.internal.norm;

import io.github.widenet.layers.BatchNormMode;

/**
 * A BatchNormalization that normalises with the statistics of the minibatch in every pass, inference included
 * ({@link BatchNormMode#TRAINING}): DL4J's training-mode forward pass and backprop, with a zero gradient for the running
 * statistics (unused, so they never change).
 */
public class BatchStatsBatchNormalization extends FixedModeBatchNormalization {

    /** For JSON deserialisation and {@link BatchNormVariants}. */
    public BatchStatsBatchNormalization() {
    }

    @Override
    boolean batchStatistics() {
        return true;
    }
}
