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
