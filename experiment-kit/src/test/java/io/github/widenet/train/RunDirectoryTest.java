package io.github.widenet.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunDirectoryTest {

    @Test
    void refusesToClobberAPreviousRunUnlessResumingOrOverwriting(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("run");
        assertEquals(out, RunDirectory.choose(out, "x", false, false));
        Files.createDirectories(out.resolve("checkpoints"));
        Files.writeString(out.resolve("checkpoints/done-a.json"), "{}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunDirectory.choose(out, "x", false, false));
        assertTrue(e.getMessage().contains("--resume") && e.getMessage().contains("--overwrite"), e.getMessage());
        assertEquals(out, RunDirectory.choose(out, "x", true, false));
        assertTrue(Files.exists(out.resolve("checkpoints/done-a.json")), "resume keeps the run");
        RunDirectory.choose(out, "x", false, true);
        assertFalse(Files.exists(out.resolve("checkpoints")), "overwrite discards it");
    }

    /** A multi-seed run keeps its checkpoints in seed-<s>/: it is resumable, protected and overwritten as a whole. */
    @Test
    void aRunWhoseCheckpointsAreInSeedFoldersIsOneRun(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("run");
        Files.createDirectories(out.resolve("seed-2/checkpoints"));
        Files.writeString(out.resolve("seed-2/checkpoints/done-ntk-m10.json"), "{}");
        Files.createDirectories(out.resolve("seed-2/snapshots"));
        Files.createDirectories(out.resolve("notes"));                 // not a part: no checkpoints folder
        assertTrue(RunOptionsFile.hasCheckpoints(out));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunDirectory.choose(out, "x", false, false));
        assertTrue(e.getMessage().contains("holds a previous run"), e.getMessage());
        assertEquals(out, RunDirectory.choose(out, "x", true, false));
        assertTrue(Files.exists(out.resolve("seed-2/checkpoints/done-ntk-m10.json")), "resume keeps the run");
        RunDirectory.choose(out, "x", false, true);
        assertFalse(Files.exists(out.resolve("seed-2/checkpoints")), "overwrite discards every seed's checkpoints");
        assertFalse(Files.exists(out.resolve("seed-2/snapshots")));
        assertTrue(Files.exists(out.resolve("notes")));
        assertFalse(RunOptionsFile.hasCheckpoints(out));
    }

    @Test
    void latestRunIsTheNewestTimestamp(@TempDir Path tmp) throws Exception {
        Files.createDirectories(tmp.resolve("mnist-20261122-101500"));
        Files.createDirectories(tmp.resolve("mnist-20261122-093000"));
        Files.createDirectories(tmp.resolve("cifar-20261123-000000"));
        assertEquals(tmp.resolve("mnist-20261122-101500"), RunDirectory.latest(tmp, "mnist").orElseThrow());
        assertTrue(RunDirectory.latest(tmp, "bench").isEmpty());
    }

    @Test
    void resumingADirectoryWithoutARunIsAnErrorNotAFreshStart(@TempDir Path tmp) throws Exception {
        Path typo = tmp.resolve("rnu");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunDirectory.choose(typo, "x", true, false));
        assertTrue(e.getMessage().contains("--resume") && e.getMessage().contains("rnu"), e.getMessage());
        assertFalse(Files.exists(typo), "nothing created");
    }
}
