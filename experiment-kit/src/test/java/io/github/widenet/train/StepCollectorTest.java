package io.github.widenet.train;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StepCollectorTest {

    @Test
    void collectsOnEveryNthStepOnly() {
        AtomicInteger collections = new AtomicInteger();
        StepCollector c = new StepCollector(25, collections::incrementAndGet);
        for (int i = 1; i <= 99; i++) {
            c.stepDone();
            assertEquals(i / 25, collections.get(), "after step " + i);
        }
        StepCollector never = new StepCollector(0, collections::incrementAndGet);
        for (int i = 0; i < 100; i++) {
            never.stepDone();
        }
        assertEquals(3, collections.get());
        assertThrows(IllegalArgumentException.class, () -> new StepCollector(-1));
    }
}
