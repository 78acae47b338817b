package io.github.widenet.cifar;

import io.github.widenet.testkit.CommandCheck;
import io.github.widenet.testkit.CommandCheck.Outcome;
import io.github.widenet.train.StopSignal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --resume refuses options that change the numbers, names them with both values, and never relabels old results. */
class CifarResumeTest {

    private static String[] tiny(Path data, Path out, String... extra) {
        return CommandCheck.plus(List.of("--width-divisor", "64", "--epochs", "2", "--batch-size", "32",
                "--alphas", "1", "--no-linearized", "--train-subset", "0", "--test-subset", "0",
                "--train-eval-subset", "60", "--lr", "0.005", "--data-dir", data.toString(), "--out", out.toString()), extra);
    }


    /** Issue 26 row 14: Ctrl-C mid-epoch keeps the batches done; the resumed run equals an uninterrupted one. */
    @Test
    void aStopRequestMidEpochCheckpointsExits3AndResumesToTheSameNumbers(@TempDir Path tmp) throws Exception {
        Path data = CifarExperimentTest.data(tmp);
        Path straight = tmp.resolve("straight");
        Path stopped = tmp.resolve("stopped");
        assertEquals(0, CifarCliTest.run(tiny(data, straight)).code());
        Outcome o = StopSignal.requestedDuring("SIGINT", () -> CifarCliTest.run(tiny(data, stopped)));
        assertEquals(3, o.code(), o.err());
        assertEquals("cifar: interrupted by SIGINT during standard (alpha=1); the run is checkpointed: continue with "
                + "./widenet cifar --resume --out " + stopped, o.err().strip());
        o = CifarCliTest.run(tiny(data, stopped, "--resume"));
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("resuming after epoch 0 of 2 and batch 1 of 4"), o.out());
        CifarExperimentTest.assertSameCurves(straight, stopped);
    }

    @Test
    void resumeWithOtherOptionsIsRefusedAndFinishedRunsKeepTheirLabels(@TempDir Path tmp) throws Exception {
        Path data = CifarExperimentTest.data(tmp);
        Path out = tmp.resolve("run");
        assertEquals(3, CifarCliTest.run(tiny(data, out, "--stop-after-epochs", "1")).code());

        Outcome o = CifarCliTest.run(CommandCheck.with(CommandCheck.with(tiny(data, out, "--resume"), "--lr", "0.05"),
                "--batch-size", "16"));
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--lr 0.005 (now 0.05)") && o.err().contains("--batch-size 32 (now 16)"), o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        o = CifarCliTest.run(CommandCheck.with(tiny(data, out, "--resume"), "--epochs", "3"));
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--epochs 2 (now 3)"), o.err());

        o = CifarCliTest.run(tiny(data, out, "--resume", "--seeds", "1,2"));
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--seeds [1] (now [1,2])"), o.err());
        o = CifarCliTest.run(tiny(data, out, "--resume", "--preset", "medium"));
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--preset none (now medium)"), o.err());
        o = CifarCliTest.run(tiny(data, out, "--resume", "--loss", "mse", "--init", "xavier", "--momentum-type",
                "heavy-ball"));
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--loss ce (now mse)") && o.err().contains("--init he (now xavier)")
                && o.err().contains("--momentum-type nesterov (now heavy-ball)"), o.err());

        assertEquals(0, CifarCliTest.run(tiny(data, out, "--resume")).code());
        byte[] report = Files.readAllBytes(out.resolve("report.md"));
        byte[] manifest = Files.readAllBytes(out.resolve("manifest.json"));
        o = CifarCliTest.run(tiny(data, out, "--resume", "--augment"));
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--augment false (now true)"), o.err());
        o = CifarCliTest.run(tiny(data, out, "--resume", "--layout", "nchw"));       // issue 26 row 6
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--layout nhwc (now nchw)"), o.err());
        assertArrayEquals(report, Files.readAllBytes(out.resolve("report.md")));
        assertArrayEquals(manifest, Files.readAllBytes(out.resolve("manifest.json")));
    }

    @Test
    void aDoneFileWithoutRecordsIsNamed(@TempDir Path tmp) throws Exception {
        io.github.widenet.train.CheckpointStore store = new io.github.widenet.train.CheckpointStore(tmp,
                java.time.Duration.ZERO);
        store.markDone(Mode.lazy(10).key(), java.util.Map.of("note", "no records"));
        java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> ModeRun.finishedResult(store, Mode.lazy(10)));
        assertTrue(e.getMessage().contains(tmp.resolve("done-alpha10.json").toString()), e.getMessage());
    }
}
