package io.github.widenet.cifar;

import java.util.Map;

/**
 * Measurements after one epoch of one mode: accuracies and unscaled cross-entropies (of softmax(α(h(w) − h(w0)))),
 * relative parameter change ‖w − w0‖/‖w0‖, the share of ReLU units on the probe batch whose sign never changed (overall
 * and per layer), and the cumulative training time.
 */
public record EpochRecord(String mode, int epoch, double trainAccuracy, double trainLoss, double testAccuracy,
                          double testLoss, double relativeChange, double reluStable, Map<String, Double> reluStablePerLayer,
                          double trainSeconds) {
}
