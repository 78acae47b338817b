package io.github.widenet.cifar;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Test accuracy at matched training accuracy: for every seed and mode, the first epoch whose training accuracy (measured
 * on the fixed training-evaluation subset) reaches a common level. The level is the one asked for
 * (--match-train-accuracy) or else the highest level every mode reaches in every seed (the smallest, over seeds and
 * modes, of the best training accuracy of the run).
 *
 * @param level     the common training accuracy
 * @param requested whether the level was asked for (else it was chosen as described)
 * @param reached   by seed and mode, the first record reaching the level, or null when the mode never reaches it
 */
public record MatchedTraining(double level, boolean requested, Map<Long, Map<Mode, EpochRecord>> reached) {

    /** Tolerance for "reaches": accuracies are ratios of counts written with limited precision. */
    private static final double EPS = 1e-9;

    /** The matched records of {@code runs} at {@code requested}, or at the highest common level when it is empty. */
    public static MatchedTraining of(List<SeedRun> runs, OptionalDouble requested) {
        double level = requested.orElseGet(() -> runs.stream()
                .flatMap(r -> r.modes().values().stream())
                .mapToDouble(m -> m.records().stream().mapToDouble(EpochRecord::trainAccuracy).max().orElse(0))
                .min().orElse(0));
        Map<Long, Map<Mode, EpochRecord>> reached = new LinkedHashMap<>();
        for (SeedRun run : runs) {
            Map<Mode, EpochRecord> m = new LinkedHashMap<>();
            for (Map.Entry<Mode, ModeResult> e : run.modes().entrySet()) {
                m.put(e.getKey(), e.getValue().records().stream()
                        .filter(r -> r.trainAccuracy() >= level - EPS).findFirst().orElse(null));
            }
            reached.put(run.seed(), m);
        }
        return new MatchedTraining(level, requested.isPresent(), reached);
    }

    /** The seeds in which {@code mode} never reaches the level. */
    public List<Long> neverReached(Mode mode) {
        return reached.entrySet().stream().filter(e -> e.getValue().containsKey(mode) && e.getValue().get(mode) == null)
                .map(Map.Entry::getKey).toList();
    }
}
