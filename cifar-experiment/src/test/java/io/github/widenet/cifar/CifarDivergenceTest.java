package io.github.widenet.cifar;

import io.github.widenet.testkit.CommandCheck;
import io.github.widenet.testkit.CommandCheck.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A diverging mode stops the run with exit code 4 and a message naming --lr; no report is written. */
class CifarDivergenceTest {

    private static String[] tiny(Path data, Path out, String... extra) {
        return CommandCheck.plus(List.of("--width-divisor", "64", "--epochs", "2", "--batch-size", "32",
                "--alphas", "1", "--no-linearized", "--train-subset", "0", "--test-subset", "0",
                "--train-eval-subset", "60", "--data-dir", data.toString(), "--out", out.toString()), extra);
    }

    private static void noResults(Path out) {
        CommandCheck.assertNotWritten(out, "for a diverged run", "report.md", "results.csv", "curves.csv", "manifest.json");
    }

    @Test
    void hugeLearningRateStopsTheRunNamingLr(@TempDir Path tmp) throws Exception {
        Path data = CifarExperimentTest.data(tmp);
        Path out = tmp.resolve("out");
        Outcome o = CifarCliTest.run(tiny(data, out, "--lr", "1e4", "--allow-non-finite"));
        assertEquals(4, o.code(), o.err() + o.out());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertTrue(o.err().contains("diverged") && o.err().contains("--lr") && o.err().contains("10000"), o.err());
        noResults(out);

        Path out2 = tmp.resolve("out2");
        o = CifarCliTest.run(tiny(data, out2, "--lr", "1e300"));
        assertEquals(4, o.code(), o.err() + o.out());
        assertTrue(o.err().contains("non-finite parameters") && o.err().contains("layer")
                && o.err().contains("--allow-non-finite"), o.err());
        noResults(out2);
    }
}
