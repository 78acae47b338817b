package io.github.widenet.train;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sun.misc.Signal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StopSignalTest {

    @AfterEach
    void clear() {
        StopSignal.clear();
    }

    @Test
    void aRealSigtermBecomesAStopRequestInsteadOfEndingTheJvm() throws Exception {
        StopSignal.install();
        assertFalse(StopSignal.requested());
        Signal.raise(new Signal("TERM"));
        for (int i = 0; i < 100 && !StopSignal.requested(); i++) {
            Thread.sleep(20);                      // the handler runs on its own thread
        }
        assertTrue(StopSignal.requested());
        String msg = StopSignal.interrupted("mnist", java.nio.file.Path.of("runs/x"), "at step 7").getMessage();
        assertTrue(msg.equals("interrupted by SIGTERM at step 7; the run is checkpointed: continue with ./widenet mnist "
                + "--resume --out runs/x"), msg);
    }
}
