package io.github.widenet.mnist;

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

/** A diverging run stops with exit code 4 and a message naming the option; no report is written. */
class MnistDivergenceTest {

    private static String[] tiny(Path data, Path out, String... extra) {
        return CommandCheck.plus(List.of("--widths", "40,20", "--steps", "12", "--batch-size", "50",
                "--train-subset", "500", "--test-subset", "200", "--snapshots", "3", "--bins", "12",
                "--data-dir", data.toString(), "--out", out.toString()), extra);
    }

    private static void noResults(Path out) {
        CommandCheck.assertNotWritten(out, "for a diverged run", "report.md", "results.csv", "w1.csv", "manifest.json");
    }

    @Test
    void hugeStepSizeStopsTheRunNamingEta(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        Outcome o = MnistCliTest.run(tiny(MnistCliTest.data(tmp), out, "--eta", "1000"));
        assertEquals(4, o.code(), o.err() + o.out());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertTrue(o.err().contains("diverged") && o.err().contains("--eta") && o.err().contains("1000"), o.err());
        noResults(out);
    }

    @Test
    void nonFiniteParametersAreNamedUnlessAllowed(@TempDir Path tmp) throws Exception {
        Path data = MnistCliTest.data(tmp);
        Path out = tmp.resolve("out");
        Outcome o = MnistCliTest.run(tiny(data, out, "--eta", "1e300"));
        assertEquals(4, o.code(), o.err() + o.out());
        assertTrue(o.err().contains("non-finite parameters") && o.err().contains("layer 0")
                && o.err().contains("iteration 0") && o.err().contains("--allow-non-finite"), o.err());
        noResults(out);

        Path out2 = tmp.resolve("out2");
        o = MnistCliTest.run(tiny(data, out2, "--eta", "1e300", "--allow-non-finite"));
        assertEquals(4, o.code(), o.err() + o.out());
        assertTrue(o.err().contains("diverged") && !o.err().contains("non-finite parameters"), o.err());
        noResults(out2);
    }
}
