package io.github.widenet.cifar;

import java.util.List;

/**
 * What one finished mode leaves for the report: its per-epoch records, its predicted class for every evaluated test
 * image at the final epoch (in the test set's order; null for a mode finished by an older version that did not keep
 * them), and the peak resident memory of the process while it trained (bytes, -1 when unknown).
 */
public record ModeResult(List<EpochRecord> records, int[] predictions, long peakResidentBytes) {

    public ModeResult {
        if (records == null || records.isEmpty()) {
            throw new IllegalArgumentException("a finished mode needs at least one epoch record");
        }
        records = List.copyOf(records);
    }

    /** The record of the final epoch. */
    public EpochRecord last() {
        return records.get(records.size() - 1);
    }
}
