package io.github.widenet.cifar;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;
import java.util.Map;

/**
 * What a CIFAR mode records, one shape for its checkpoint and its finished result (the JSON of
 * {@link io.github.widenet.train.CheckpointStore}): its epochs, the divergence check's initial parameter norm, its peak
 * resident memory, its per-epoch test predictions; mid-epoch (a stop request) the batches done and the seconds so far;
 * finished, its final test outputs (row-major [n, K]). A field a file does not have (an older version's) reads as null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties({"modelType"})           // the checkpoint store's own entry in a checkpoint's map
record ModeState(List<EpochRecord> records, Double initialParamNorm, Long peakResidentBytes,
                 List<int[]> epochPredictions, Integer batchesDoneInEpoch, Double epochSecondsSoFar,
                 float[] testOutputs) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** After the finished epochs in {@code records}. */
    static ModeState afterEpochs(List<EpochRecord> records, double initialParamNorm, long peak, List<int[]> predictions) {
        return new ModeState(records, initialParamNorm, peak, predictions, null, null, null);
    }

    /** A finished mode's result. */
    static ModeState finished(List<EpochRecord> records, long peak, List<int[]> predictions, float[] testOutputs) {
        return new ModeState(records, null, peak, predictions, null, null, testOutputs);
    }

    /** This state stopped after {@code batches} batches of the next epoch, {@code seconds} into it. */
    ModeState midEpoch(int batches, double seconds) {
        return new ModeState(records, initialParamNorm, peakResidentBytes, epochPredictions, batches, seconds, null);
    }

    /** The state as the checkpoint's map (the store's JSON). */
    @SuppressWarnings("unchecked")
    Map<String, Object> asMap() {
        return JSON.convertValue(this, Map.class);
    }

    /** A checkpoint's map read back. */
    static ModeState of(Map<String, Object> state) {
        return JSON.convertValue(state, ModeState.class);
    }
}
