package io.github.widenet.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunOptionsFileTest {

    private static Map<String, Object> options(double eta, long steps) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("--widths", List.of(20, 40));
        m.put("--eta", eta);
        m.put("--steps", steps);
        return m;
    }

    @Test
    void sameOptionsPassDifferentOnesAreNamedWithBothValues(@TempDir Path dir) throws Exception {
        RunOptionsFile.write(dir, options(0.5, 12), Map.of("crc", "ab12"));
        assertDoesNotThrow(() -> RunOptionsFile.checkResume(dir, options(0.5, 12)));
        String msg = assertThrows(IllegalArgumentException.class,
                () -> RunOptionsFile.checkResume(dir, options(5, 24))).getMessage();
        assertTrue(msg.contains("--eta 0.5 (now 5.0)") && msg.contains("--steps 12 (now 24)")
                && !msg.contains("--widths") && msg.contains(dir.toString()), msg);
        var saved = RunOptionsFile.read(dir).orElseThrow();
        msg = assertThrows(IllegalArgumentException.class,
                () -> RunOptionsFile.checkData(dir, saved, Map.of("crc", "ffff"))).getMessage();
        assertTrue(msg.contains("crc ab12 (now ffff)"), msg);
    }

    @Test
    void checkpointsWithoutSavedOptionsOrAGarbageFileAreRefused(@TempDir Path dir) throws Exception {
        assertTrue(RunOptionsFile.checkResume(dir, options(0.5, 12)).isEmpty(), "a fresh directory");
        Files.createDirectories(dir.resolve("checkpoints"));
        Files.writeString(dir.resolve("checkpoints/done-x.json"), "{}");
        String msg = assertThrows(IllegalArgumentException.class,
                () -> RunOptionsFile.checkResume(dir, options(0.5, 12))).getMessage();
        assertTrue(msg.contains(RunOptionsFile.FILE), msg);
        Files.writeString(dir.resolve(RunOptionsFile.FILE), "{not json");
        IOException e = assertThrows(IOException.class, () -> RunOptionsFile.read(dir));
        assertTrue(e.getMessage().contains(dir.resolve(RunOptionsFile.FILE).toString()), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}
