package io.github.widenet.cifar;

import java.util.List;

/**
 * What one finished mode leaves for the report: its per-epoch records, its predicted class for every evaluated test
 * image after every epoch (in the test set's order; null for a mode finished by an older version that did not keep
 * them), and the peak resident memory of the process while it trained (bytes, -1 when unknown).
 *
 * @param epochPredictions element e − 1: the predictions after epoch e (as many as records), or null
 * @param testOutputs      the model's outputs on the test images after the final epoch, row-major [n, K] (the centred
 *                         model's for the centred, linearized and NTK-limit modes), or null when not kept
 */
public record ModeResult(List<EpochRecord> records, List<int[]> epochPredictions, long peakResidentBytes,
                         float[] testOutputs) {

    /** A result without test outputs. */
    public ModeResult(List<EpochRecord> records, List<int[]> epochPredictions, long peakResidentBytes) {
        this(records, epochPredictions, peakResidentBytes, null);
    }

    public ModeResult {
        if (records == null || records.isEmpty()) {
            throw new IllegalArgumentException("a finished mode needs at least one epoch record");
        }
        if (epochPredictions != null && epochPredictions.size() != records.size()) {
            throw new IllegalArgumentException("predictions of " + epochPredictions.size() + " epochs for "
                    + records.size() + " epoch records");
        }
        records = List.copyOf(records);
        epochPredictions = epochPredictions == null ? null : List.copyOf(epochPredictions);
    }

    /** The record of the final epoch. */
    public EpochRecord last() {
        return records.get(records.size() - 1);
    }

    /** The predictions after the final epoch, or null when not recorded. */
    public int[] predictions() {
        return predictionsAfter(records.size());
    }

    /** The predictions after {@code epoch} (1-based), or null when not recorded. */
    public int[] predictionsAfter(int epoch) {
        return epochPredictions == null || epoch < 1 || epoch > epochPredictions.size() ? null
                : epochPredictions.get(epoch - 1);
    }
}
