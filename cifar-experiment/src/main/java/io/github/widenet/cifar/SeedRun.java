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

    /** Per test image, whether {@code mode} predicted its class; null when the mode's predictions are not known. */
    public boolean[] correct(Mode mode) {
        ModeResult r = modes.get(mode);
        if (r == null || r.predictions() == null || r.predictions().length != testLabels.length) {
            return null;
        }
        boolean[] c = new boolean[testLabels.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = r.predictions()[i] == testLabels[i];
        }
        return c;
    }
}
