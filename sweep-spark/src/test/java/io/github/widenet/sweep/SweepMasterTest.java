package io.github.widenet.sweep;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 26 row 15: an unreachable standalone master is one line within seconds, not a minute of Spark traces. */
class SweepMasterTest {

    @Test
    void anUnreachableMasterIsOneLineWithinSeconds(@TempDir Path tmp) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();                     // free once closed: nothing listens there
        }
        long start = System.nanoTime();
        TinyMnist.Outcome o = TinyMnist.sweep(TinyMnist.options(TinyMnist.data(tmp), tmp.resolve("run"), 4),
                "--master", "spark://127.0.0.1:" + port);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(1, o.code(), o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertTrue(o.err().startsWith("mnist: error: cannot reach the Spark master spark://127.0.0.1:" + port
                + " (127.0.0.1:" + port + ": Connection refused"), o.err());
        assertTrue(seconds < 30, seconds + " s");
    }

    @Test
    void otherMastersAreNotProbed() {
        MasterProbe.check(new MasterUrl("local[2]"));
        MasterProbe.check(new MasterUrl("yarn"));
    }
}
