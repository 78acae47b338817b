package io.github.widenet.mnist;

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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --resume refuses options that change the numbers, names them with both values, and never relabels old results. */
class MnistResumeTest {

    private static String[] tiny(Path data, Path out, String... extra) {
        return CommandCheck.plus(List.of("--widths", "20", "--scalings", "mean-field", "--steps", "12",
                "--batch-size", "50", "--train-subset", "500", "--test-subset", "200", "--snapshots", "3", "--bins",
                "12", "--eta", "0.5", "--data-dir", data.toString(), "--out", out.toString()), extra);
    }


    /** Issue 26 row 13: Ctrl-C checkpoints, says how to resume, exits 3; the resumed run equals an uninterrupted one. */
    @Test
    void aStopRequestCheckpointsExits3AndResumesToTheSameNumbers(@TempDir Path tmp) throws Exception {
        Path data = MnistCliTest.data(tmp);
        Path straight = tmp.resolve("straight");
        Path stopped = tmp.resolve("stopped");
        assertEquals(0, MnistCliTest.run(tiny(data, straight)).code());
        Outcome o = StopSignal.requestedDuring("SIGINT", () -> MnistCliTest.run(tiny(data, stopped)));
        assertEquals(3, o.code(), o.err());
        assertEquals("mnist: interrupted by SIGINT in task mean-field-m20; the run is checkpointed: continue with "
                + "./widenet mnist --resume --out " + stopped, o.err().strip());
        assertTrue(Files.list(stopped.resolve("checkpoints")).findAny().isPresent());
        o = MnistCliTest.run(tiny(data, stopped, "--resume"));
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("resuming at step 0 of 12"), o.out());
        assertEquals(resultColumns(straight), resultColumns(stopped));
    }

    /** results.csv without its time and memory columns (the last three). */
    private static List<String> resultColumns(Path run) throws java.io.IOException {
        return Files.readAllLines(run.resolve("results.csv")).stream()
                .map(l -> String.join(",", Arrays.copyOf(l.split(","), 6))).toList();
    }

    @Test
    void resumeWithOtherResultOptionsIsRefusedNamingBothValues(@TempDir Path tmp) throws Exception {
        Path data = MnistCliTest.data(tmp);
        Path out = tmp.resolve("run");
        assertEquals(3, MnistCliTest.run(tiny(data, out, "--stop-after-steps", "5", "--checkpoint-minutes", "0")).code());

        String[] changed = CommandCheck.with(tiny(data, out, "--resume", "--seed", "7"), "--eta", "5");
        Outcome o = MnistCliTest.run(changed);
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--eta") && o.err().contains("0.5") && o.err().contains("5.0")
                && o.err().contains("--seed") && o.err().contains("1") && o.err().contains("7"), o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());

        // a changed --steps is refused the same way (it used to crash with NoSuchFileException)
        o = MnistCliTest.run(CommandCheck.with(tiny(data, out, "--resume"), "--steps", "24"));
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--steps") && o.err().contains("12") && o.err().contains("24"), o.err());

        // options that do not change the numbers may differ
        o = MnistCliTest.run(tiny(data, out, "--resume", "--checkpoint-minutes", "30"));
        assertEquals(0, o.code(), o.err());
    }

    @Test
    void finishedRunResumedWithOtherOptionsKeepsItsLabels(@TempDir Path tmp) throws Exception {
        Path data = MnistCliTest.data(tmp);
        Path out = tmp.resolve("run");
        assertEquals(0, MnistCliTest.run(tiny(data, out)).code());
        byte[] report = Files.readAllBytes(out.resolve("report.md"));
        byte[] manifest = Files.readAllBytes(out.resolve("manifest.json"));
        Outcome o = MnistCliTest.run(CommandCheck.with(tiny(data, out, "--resume"), "--eta", "5"));
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--eta"), o.err());
        assertArrayEquals(report, Files.readAllBytes(out.resolve("report.md")));
        assertArrayEquals(manifest, Files.readAllBytes(out.resolve("manifest.json")));
        assertFalse(new String(report).contains("eta=5"));
    }

    @Test
    void aDoneFileThatDoesNotDescribeItsTaskIsNamed(@TempDir Path tmp) throws Exception {
        Path data = MnistCliTest.data(tmp);
        Path out = tmp.resolve("run");
        assertEquals(0, MnistCliTest.run(tiny(data, out)).code());
        Path done = out.resolve("checkpoints/done-mean-field-m20.json");
        assertTrue(Files.exists(done));
        Files.writeString(done, "{}");                     // valid JSON, but no result in it
        Outcome o = MnistCliTest.run(tiny(data, out, "--resume"));
        assertEquals(1, o.code(), o.err());
        assertTrue(o.err().contains(done.toString()), o.err());
    }
}
