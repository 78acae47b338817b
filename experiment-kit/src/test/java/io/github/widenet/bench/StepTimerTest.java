package io.github.widenet.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The statistics of interleaved timing: medians, and per-round ratios that cancel a drifting machine speed. */
class StepTimerTest {

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(3.0, StepTimer.median(new double[]{5, 1, 3}));
        assertEquals(2.5, StepTimer.median(new double[]{4, 1, 2, 3}));
    }

    /**
     * A case that takes 1.2× the baseline in every round, on a machine that slows down 3× between its slices in round 2:
     * the ratio of the medians is 0.4, the median of the per-round ratios 1.2.
     */
    @Test
    void perRoundRatiosCancelDrift() {
        double[] base = {1.0, 1.0, 3.0, 3.0, 3.0};
        double[] other = {1.2, 1.2, 1.2, 3.6, 3.6};
        assertEquals(1.2, StepTimer.medianRatio(other, base), 1e-12);
        assertEquals(0.4, StepTimer.median(other) / StepTimer.median(base), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> StepTimer.medianRatio(new double[2], new double[3]));
    }
}
