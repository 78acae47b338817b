package io.github.widenet.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StagedDataTest {

    @Test
    void findsTheStagedFolderAboveTheStart(@TempDir Path tmp) throws Exception {
        Path data = Files.createDirectories(tmp.resolve("shared/data/mnist"));
        Path start = Files.createDirectories(tmp.resolve("repo/module"));
        assertEquals(Optional.of(data), StagedData.find("mnist", p -> true, Map.of("CI", "true"), start));
        assertEquals(Optional.of(data), StagedData.find("mnist", p -> true, Map.of(), start));
    }

    @Test
    void absentIsEmptyLocallyButAnErrorInCi(@TempDir Path tmp) throws Exception {
        Path start = Files.createDirectories(tmp.resolve("repo/module"));
        assertTrue(StagedData.find("mnist", p -> true, Map.of(), start).isEmpty());
        assertTrue(StagedData.find("mnist", p -> true, Map.of("CI", "false"), start).isEmpty());
        for (String ci : new String[]{"true", "TRUE", "1"}) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> StagedData.find("mnist", p -> true, Map.of("CI", ci), start));
            assertTrue(e.getMessage().contains("shared/data/mnist") && e.getMessage().contains("CI"), e.getMessage());
        }
    }

    @Test
    void anIncompleteFolderCountsAsAbsent(@TempDir Path tmp) throws Exception {
        Files.createDirectories(tmp.resolve("shared/data/mnist"));
        Path start = Files.createDirectories(tmp.resolve("repo"));
        assertTrue(StagedData.find("mnist", p -> false, Map.of(), start).isEmpty());
        assertThrows(IllegalStateException.class, () -> StagedData.find("mnist", p -> false, Map.of("CI", "true"), start));
    }
}
