package io.github.widenet.cifar;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The finished modes of one seed (each seed its own w0 and batch order), in run order, with the true class of every
 * evaluated test image (the order of the modes' predictions).
 */
public record SeedRun(long seed, Map<Mode, ModeResult> modes, int[] testLabels) {

    public SeedRun {
        modes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(modes));
    }

    /** Per test image, whether {@code mode} predicted its class at the end; null when its predictions are not known. */
    public boolean[] correct(Mode mode) {
        ModeResult r = modes.get(mode);
        return r == null ? null : correct(r.predictions());
    }

    /** Per test image, whether {@code predictions} give its class; null for null or mismatched predictions. */
    public boolean[] correct(int[] predictions) {
        if (predictions == null || predictions.length != testLabels.length) {
            return null;
        }
        boolean[] c = new boolean[testLabels.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = predictions[i] == testLabels[i];
        }
        return c;
    }
}
