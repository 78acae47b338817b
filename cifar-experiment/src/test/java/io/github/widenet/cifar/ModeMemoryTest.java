package io.github.widenet.cifar;

import io.github.widenet.train.TaskMemory;
import io.github.widenet.cifar.data.CifarBatches;
import io.github.widenet.cifar.data.CifarSet;
import io.github.widenet.train.CheckpointStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Memory does not pile up across modes: after a second mode (tiny VGG) and {@link ModeMemory#release()} this thread
 * holds as many ND4J workspaces, and as many workspace bytes, as after the first. Without the release the linearized
 * model's workspaces (three per network on this net, named per network) accumulate: 7, then 10 workspaces.
 */
class ModeMemoryTest {

    private static CifarSet set(int n, long seed) {
        Random r = new Random(seed);
        byte[] px = new byte[n * CifarSet.PIXELS];
        byte[] y = new byte[n];
        r.nextBytes(px);
        for (int i = 0; i < n; i++) {
            y[i] = (byte) (i % CifarSet.CLASSES);
        }
        return new CifarSet(px, y);
    }

    @Test
    void aSecondModeLeavesNoMoreMemoryThanTheFirst(@TempDir Path tmp) throws Exception {
        CifarSet data = set(64, 1);
        CifarBatches.Normalization norm = CifarBatches.Normalization.of(data);
        CifarBatches train = new CifarBatches(data, 32, 1, true, false, norm);
        CifarBatches eval = new CifarBatches(data, 32, 1, false, false, norm);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        long[][] after = new long[2][];
        List<Mode> modes = List.of(Mode.linearized(), Mode.linearized());
        for (int i = 0; i < modes.size(); i++) {
            CifarRunConfig config = new CifarRunConfig(64, false, modes, 1, 32, 0.005, 0.1, 0.9, false, 0, 0, 64, 1,
                    org.deeplearning4j.nn.conf.CNN2DFormat.NHWC);
            CheckpointStore store = new CheckpointStore(tmp.resolve("run" + i), Duration.ZERO);
            ModeResult r = new ModeRun(config, modes.get(i), store, quiet).checkNonFinite(false)
                    .runMode(train, eval, eval, eval.batch(0, 0).getFeatures(), new AtomicInteger(10));
            assertEquals(64, r.predictions().length);
            TaskMemory.release();
            after[i] = new long[]{TaskMemory.workspaces(), TaskMemory.workspaceBytes()};
        }
        assertEquals(after[0][0], after[1][0], "workspaces after mode 1 vs 2");
        assertEquals(after[0][1], after[1][1], "workspace bytes after mode 1 vs 2");
    }
}
