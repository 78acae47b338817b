package io.github.widenet.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DivergenceDetectorTest {

    private static DivergenceDetector detector() {
        return new DivergenceDetector("mean-field-m20", 10, 1500, "lower --eta (now 1000.0)");
    }

    @Test
    void nonFiniteLossStopsAtOnceNamingStepAndOption() {
        String msg = assertThrows(TrainingStoppedException.class, () -> detector().loss(6, Double.NaN)).getMessage();
        assertTrue(msg.contains("mean-field-m20") && msg.contains("NaN") && msg.contains("step 7")
                && msg.contains("--eta"), msg);
    }

    @Test
    void sustainedHighLossStopsButASpikeDoesNot() {
        DivergenceDetector d = detector();
        assertEquals(10, d.window());
        assertEquals(5 * Math.log(10), d.lossLimit(), 1e-12);
        for (int s = 0; s < 9; s++) {
            d.loss(s, 20);                  // nine steps above the limit
        }
        d.loss(9, 2.0);                     // one healthy step resets the count
        for (int s = 10; s < 19; s++) {
            d.loss(s, 20);
        }
        String msg = assertThrows(TrainingStoppedException.class, () -> d.loss(19, 20)).getMessage();
        assertTrue(msg.contains("10 consecutive steps") && msg.contains("step 20"), msg);
        assertEquals(2, new DivergenceDetector("u", 10, 12, "x").window(), "short runs use a short window");
    }

    @Test
    void parameterBlowUpStopsEvenAtChanceLevelLoss() {
        DivergenceDetector d = detector();
        d.parameters(0, 100);
        assertDoesNotThrow(() -> d.parameters(10, 300));
        d.loss(10, Math.log(10));           // dead units: chance-level loss looks harmless
        String msg = assertThrows(TrainingStoppedException.class, () -> d.parameters(20, 2e4)).getMessage();
        assertTrue(msg.contains("parameter norm") && msg.contains("after step 20") && msg.contains("200"), msg);
        assertThrows(TrainingStoppedException.class, () -> detector().initialNorm(1).parameters(1, Double.POSITIVE_INFINITY));
        assertTrue(d.parametersDue(1) && d.parametersDue(30) && d.parametersDue(1500) && !d.parametersDue(31));
    }
}
