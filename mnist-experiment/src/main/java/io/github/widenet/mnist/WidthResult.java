package io.github.widenet.mnist;

/**
 * The outcome of training one (scaling, width): accuracies, final training loss (mean over the last 100 steps),
 * training time and seconds per SGD step, and the largest resident memory seen while training (bytes).
 */
public record WidthResult(String scaling, int width, long steps, double testAccuracy, double trainAccuracy,
                          double finalTrainLoss, double trainSeconds, double secondsPerStep, long peakResidentBytes) {

    /** Checks that a result read back from {@code file} is the one of this unit; otherwise an error naming the file. */
    WidthResult checkFor(String expectedScaling, int expectedWidth, long expectedSteps, java.nio.file.Path file)
            throws java.io.IOException {
        if (!expectedScaling.equals(scaling) || width != expectedWidth || steps != expectedSteps
                || !(testAccuracy >= 0 && testAccuracy <= 1) || !(trainAccuracy >= 0 && trainAccuracy <= 1)
                || !Double.isFinite(finalTrainLoss)) {
            throw new java.io.IOException(file + ": does not hold the result of " + expectedScaling + " N="
                    + expectedWidth + " after " + expectedSteps + " steps (found " + this + "); delete it to train "
                    + "that width again");
        }
        return this;
    }
}
