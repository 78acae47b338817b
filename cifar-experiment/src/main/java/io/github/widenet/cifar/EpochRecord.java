package io.github.widenet.cifar;

import java.util.Map;

/**
 * Measurements after one epoch of one mode: accuracies and unscaled cross-entropies (of softmax(α(h(w) − h(w0)))),
 * relative parameter change ‖w − w0‖/‖w0‖, the share of ReLU units on the probe batch whose sign never changed (overall
 * and per layer), the cumulative training time, and the frozen-gates test accuracy (the current weights with the ReLU
 * masks and max-pool choices of w0, {@link FrozenGatesAccuracy}; NaN where not measured).
 */
public record EpochRecord(String mode, int epoch, double trainAccuracy, double trainLoss, double testAccuracy,
                          double testLoss, double relativeChange, double reluStable, Map<String, Double> reluStablePerLayer,
                          double trainSeconds, Double frozenGatesTestAccuracy) {

    public EpochRecord {
        frozenGatesTestAccuracy = frozenGatesTestAccuracy == null ? Double.NaN : frozenGatesTestAccuracy;
    }

    /** Without a frozen-gates accuracy (NaN). */
    public EpochRecord(String mode, int epoch, double trainAccuracy, double trainLoss, double testAccuracy,
                       double testLoss, double relativeChange, double reluStable,
                       Map<String, Double> reluStablePerLayer, double trainSeconds) {
        this(mode, epoch, trainAccuracy, trainLoss, testAccuracy, testLoss, relativeChange, reluStable,
                reluStablePerLayer, trainSeconds, Double.NaN);
    }
}
