package io.github.widenet.mnist;

/**
 * The outcome of training one (scaling, width): accuracies, final training loss (mean over the last 100 steps),
 * training time and seconds per SGD step, and the largest resident memory seen while training (bytes).
 */
public record WidthResult(String scaling, int width, long steps, double testAccuracy, double trainAccuracy,
                          double finalTrainLoss, double trainSeconds, double secondsPerStep, long peakResidentBytes) {
}
