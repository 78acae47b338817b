package io.github.widenet.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptionRulesTest {

    private static void rejects(Executable check, String... parts) {
        String msg = assertThrows(IllegalArgumentException.class, check).getMessage();
        assertTrue(msg.lines().count() == 1, msg);
        for (String p : parts) {
            assertTrue(msg.contains(p), "'" + p + "' missing in: " + msg);
        }
    }

    @Test
    void numbers() {
        rejects(() -> OptionRules.inRange("--steps", 0, 1, Long.MAX_VALUE), "--steps", "got 0", ">= 1");
        rejects(() -> OptionRules.inRange("--test-subset", 10001, 0, 10000), "--test-subset", "10001", "10000");
        rejects(() -> OptionRules.finitePositive("--eta", Double.NaN), "--eta", "NaN");
        rejects(() -> OptionRules.finitePositive("--eta", Double.POSITIVE_INFINITY), "--eta", "Infinity");
        rejects(() -> OptionRules.finitePositive("--eta", 0), "--eta", "0.0");
        rejects(() -> OptionRules.finiteIn("--momentum", Double.NaN, 0, 1), "--momentum", "NaN");
        rejects(() -> OptionRules.finiteIn("--momentum", 1, 0, 1), "--momentum", "1.0");
        rejects(() -> OptionRules.finiteIn("--lr-decay", -0.1, 0, Double.POSITIVE_INFINITY), "--lr-decay", "-0.1");
        assertDoesNotThrow(() -> OptionRules.finiteIn("--momentum", 0.9, 0, 1));
        assertDoesNotThrow(() -> OptionRules.inRange("--steps", 5, 1, Long.MAX_VALUE));
        rejects(() -> OptionRules.distinct("--alphas", List.of(1.0, 10.0, 1.0)), "--alphas", "1.0 is given twice");
    }

    @Test
    void directories(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        rejects(() -> OptionRules.writableDirectory("--out", file), "--out", "a-file", "is a file");
        rejects(() -> OptionRules.writableDirectory("--out", file.resolve("sub")), "--out", "a-file is a file");
        assertDoesNotThrow(() -> OptionRules.writableDirectory("--out", tmp.resolve("new/deeper")));
        rejects(() -> OptionRules.existingDirectory("--data-dir", tmp.resolve("typo")), "--data-dir", "typo",
                "no such directory");
        rejects(() -> OptionRules.existingDirectory("--data-dir", file), "--data-dir", "not a directory");
        rejects(() -> OptionRules.notBoth("--resume", true, "--overwrite", true, "x"), "--resume", "--overwrite");
    }

    @Test
    void parseEachParsesInOrderAndNamesTheOptionOfARefusedValue() {
        assertTrue(OptionRules.parseEach("--ns", List.of("3", "1"), Integer::parseInt).equals(List.of(3, 1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OptionRules.parseEach("--ns", List.of("3", "x"), Integer::parseInt));
        assertTrue(e.getMessage().startsWith("--ns: ") && e.getMessage().contains("\"x\""), e.getMessage());
    }
}
