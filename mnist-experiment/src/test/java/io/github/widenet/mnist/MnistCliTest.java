package io.github.widenet.mnist;

import io.github.widenet.testkit.CommandCheck.Outcome;
import io.github.widenet.testkit.CommandCheck;
import io.github.widenet.mnist.data.MnistLocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every invalid option value: exit code 2, one line on stderr naming the option and the value, no stack trace, and
 * nothing read or created (the output directory does not appear, no "Data:" line).
 */
class MnistCliTest {

    /** What a run printed. */
    static Outcome run(String... args) {
        return CommandCheck.run(log -> MnistExperiment.commandLine(new MnistExperiment().withLog(log)), args);
    }

    static Path data(Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("data"));
        for (String f : new String[]{"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte"}) {
            try (InputStream in = MnistLocator.class.getResourceAsStream("/io/github/widenet/mnist/embedded/" + f + ".gz")) {
                Files.copy(in, dir.resolve(f + ".gz"));
            }
        }
        return dir;
    }

    private static void rejected(Path tmp, String[] bad, String... expected) throws IOException {
        Path out = tmp.resolve("out-" + Math.abs(Arrays.hashCode(bad)));
        String[][] base = {{"--widths", "20"}, {"--steps", "4"}, {"--data-dir",
                Files.createDirectories(tmp.resolve("data")).toString()}, {"--out", out.toString()}};
        CommandCheck.assertRefused(run(CommandCheck.merged(base, bad)), out, String.join(" ", bad), expected);
    }

    @Test
    void everyBadOptionIsOneLineExitTwoBeforeAnyData(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        rejected(tmp, new String[]{"--widths", "0"}, "--widths", "0");
        rejected(tmp, new String[]{"--seeds", "1"}, "--seeds", "at least two");
        rejected(tmp, new String[]{"--seeds", "1,1"}, "--seeds", "given twice");
        rejected(tmp, new String[]{"--seeds", "1,2", "--seed", "3"}, "--seed", "--seeds");
        rejected(tmp, new String[]{"--widths", "20,-3"}, "--widths", "-3");
        rejected(tmp, new String[]{"--widths", "20,20"}, "--widths", "20 is given twice");
        rejected(tmp, new String[]{"--scalings", "mean-field,meanfeld"}, "--scalings", "meanfeld");
        rejected(tmp, new String[]{"--scalings", "ntk,ntk"}, "--scalings", "given twice");
        rejected(tmp, new String[]{"--activation", "cube"}, "--activation", "cube");
        rejected(tmp, new String[]{"--steps", "0"}, "--steps", "0");
        rejected(tmp, new String[]{"--steps", "many"}, "--steps", "many");
        rejected(tmp, new String[]{"--batch-size", "0"}, "--batch-size", "0");
        rejected(tmp, new String[]{"--eta", "NaN"}, "--eta", "NaN");
        rejected(tmp, new String[]{"--eta", "-0.5"}, "--eta", "-0.5");
        rejected(tmp, new String[]{"--eta", "Infinity"}, "--eta", "Infinity");
        rejected(tmp, new String[]{"--snapshots", "1"}, "--snapshots", "1");
        rejected(tmp, new String[]{"--snapshots", "9"}, "--snapshots", "9", "--steps");
        rejected(tmp, new String[]{"--bins", "1"}, "--bins", "1");
        rejected(tmp, new String[]{"--train-subset", "-1"}, "--train-subset", "-1");
        rejected(tmp, new String[]{"--train-subset", "60001"}, "--train-subset", "60001");
        rejected(tmp, new String[]{"--test-subset", "10001"}, "--test-subset", "10001");
        rejected(tmp, new String[]{"--checkpoint-minutes", "NaN"}, "--checkpoint-minutes", "NaN");
        rejected(tmp, new String[]{"--checkpoint-minutes", "-1"}, "--checkpoint-minutes", "-1");
        rejected(tmp, new String[]{"--resume", "--overwrite"}, "--resume", "--overwrite");
        rejected(tmp, new String[]{"--data-dir", tmp.resolve("dtaa").toString()}, "--data-dir", "dtaa");
        rejected(tmp, new String[]{"--data-dir", file.toString()}, "--data-dir", "a-file");
        rejected(tmp, new String[]{"--no-such-option"}, "--no-such-option");
        // issue 26 rows 16 and 24: a width whose parameters cannot fit, an empty --out
        rejected(tmp, new String[]{"--widths", "2000000000"}, "--widths: needs at least 12.7 TB", "may allocate");
        Outcome empty = run("--widths", "20", "--data-dir", tmp.toString(), "--out", "");
        assertEquals(2, empty.code(), empty.err());
        assertTrue(empty.err().startsWith("mnist: --out: must name a directory") && !empty.out().contains("Data:"), empty.err());
        // --out that is a file, or below a file
        for (Path bad : new Path[]{file, file.resolve("sub")}) {
            Outcome o = run("--widths", "20", "--data-dir", tmp.toString(), "--out", bad.toString());
            assertEquals(2, o.code(), o.err());
            assertTrue(o.err().contains("--out") && o.err().contains("a-file") && o.err().strip().lines().count() == 1, o.err());
        }
    }

    @Test
    void subsetLargerThanTheDataIsAnErrorNotClamped(@TempDir Path tmp) throws IOException {
        // the data holds 10,000 train / 2,000 test images
        Path data = data(tmp);
        Outcome o = run("--widths", "20", "--steps", "4", "--train-subset", "20000", "--data-dir",
                data.toString(), "--out", tmp.resolve("out").toString());
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--train-subset") && o.err().contains("20000") && o.err().contains("10000"), o.err());
        o = run("--widths", "20", "--steps", "4", "--test-subset", "5000", "--data-dir",
                data.toString(), "--out", tmp.resolve("out2").toString());
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--test-subset") && o.err().contains("5000") && o.err().contains("2000"), o.err());
        o = run("--widths", "20", "--steps", "4", "--train-subset", "300", "--batch-size", "500", "--data-dir",
                data.toString(), "--out", tmp.resolve("out3").toString());
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--batch-size") && o.err().contains("500") && o.err().contains("300"), o.err());
    }

    @Test
    void dataDirectoryWithoutTheFilesIsOneLineExitOneWithoutDownload(@TempDir Path tmp) throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("mnist-typo"));
        System.setProperty("org.deeplearning4j.resources.baseurl", "http://127.0.0.1:9/");
        try {
            Outcome o = run("--widths", "20", "--steps", "4", "--download", "--data-dir", empty.toString(), "--out",
                    tmp.resolve("out").toString());
            assertEquals(1, o.code(), o.err());
            assertEquals(1, o.err().strip().lines().count(), o.err());
            assertTrue(o.err().contains("mnist-typo") && o.err().contains("t10k-labels-idx1-ubyte")
                    && !o.err().contains("Downloading"), o.err());
        } finally {
            System.clearProperty("org.deeplearning4j.resources.baseurl");
        }
    }
}
