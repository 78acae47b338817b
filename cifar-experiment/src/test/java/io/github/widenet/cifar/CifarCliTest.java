package io.github.widenet.cifar;

import io.github.widenet.testkit.CommandCheck.Outcome;
import io.github.widenet.testkit.CommandCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
class CifarCliTest {

    static Outcome run(String... args) {
        return CommandCheck.run(log -> CifarExperiment.commandLine(new CifarExperiment().withLog(log)), args);
    }

    private static void rejected(Path tmp, String[] bad, String... expected) throws IOException {
        Path out = tmp.resolve("out-" + Math.abs(Arrays.hashCode(bad)));
        String[][] base = {{"--data-dir", Files.createDirectories(tmp.resolve("data")).toString()},
                {"--out", out.toString()}};
        CommandCheck.assertRefused(run(CommandCheck.merged(base, bad)), out, String.join(" ", bad), expected);
    }

    @Test
    void everyBadOptionIsOneLineExitTwoBeforeAnyData(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        rejected(tmp, new String[]{"--width-divisor", "0"}, "--width-divisor", "0");
        rejected(tmp, new String[]{"--width-divisor", "3"}, "--width-divisor", "3");
        rejected(tmp, new String[]{"--width-divisor", "128"}, "--width-divisor", "128");
        rejected(tmp, new String[]{"--alphas", "1,0"}, "--alphas", "0");
        rejected(tmp, new String[]{"--alphas", "1,NaN"}, "--alphas", "NaN");
        rejected(tmp, new String[]{"--alphas", "1,10,1"}, "--alphas", "given twice");
        rejected(tmp, new String[]{"--epochs", "0"}, "--epochs", "0");
        rejected(tmp, new String[]{"--batch-size", "0"}, "--batch-size", "0");
        rejected(tmp, new String[]{"--lr", "NaN"}, "--lr", "NaN");
        rejected(tmp, new String[]{"--lr", "0"}, "--lr", "0");
        rejected(tmp, new String[]{"--lr-decay", "NaN"}, "--lr-decay", "NaN");
        rejected(tmp, new String[]{"--lr-decay", "-1"}, "--lr-decay", "-1");
        rejected(tmp, new String[]{"--momentum", "NaN"}, "--momentum", "NaN");
        rejected(tmp, new String[]{"--momentum", "-0.1"}, "--momentum", "-0.1");
        rejected(tmp, new String[]{"--momentum", "1"}, "--momentum", "1");
        rejected(tmp, new String[]{"--momentum-type", "polyak"}, "--momentum-type", "polyak");
        rejected(tmp, new String[]{"--loss", "hinge"}, "--loss", "hinge");
        rejected(tmp, new String[]{"--init", "orthogonal"}, "--init", "orthogonal");
        rejected(tmp, new String[]{"--init", "xavier", "--ntk"}, "--init", "xavier", "--ntk");
        rejected(tmp, new String[]{"--train-subset", "-5"}, "--train-subset", "-5");
        rejected(tmp, new String[]{"--train-subset", "50001"}, "--train-subset", "50001");
        rejected(tmp, new String[]{"--test-subset", "10001"}, "--test-subset", "10001");
        rejected(tmp, new String[]{"--train-eval-subset", "0"}, "--train-eval-subset", "0");
        rejected(tmp, new String[]{"--train-subset", "1000", "--train-eval-subset", "2000"}, "--train-eval-subset",
                "2000", "1000");
        rejected(tmp, new String[]{"--epochs", "six"}, "--epochs", "six");
        rejected(tmp, new String[]{"--resume", "--overwrite"}, "--resume", "--overwrite");
        rejected(tmp, new String[]{"--data-dir", tmp.resolve("cifra").toString()}, "--data-dir", "cifra");
        rejected(tmp, new String[]{"--data-dir", file.toString()}, "--data-dir", "a-file");
        rejected(tmp, new String[]{"--out", file.toString()}, "--out", "a-file");
        rejected(tmp, new String[]{"--out", file.resolve("sub").toString()}, "--out", "a-file");
        rejected(tmp, new String[]{"--bogus"}, "--bogus");
        rejected(tmp, new String[]{"--modes", "plain,lasy"}, "--modes", "lasy");
        rejected(tmp, new String[]{"--modes", "1,0"}, "--modes", "'0'");
        rejected(tmp, new String[]{"--modes", "standard,1"}, "--modes", "given twice");
        rejected(tmp, new String[]{"--modes", "plain,1e308"}, "--modes", "'1e308'", "1/alpha^2");   // issue 26 row 8
        rejected(tmp, new String[]{"--alphas", "1,1e200"}, "--alphas", "1.0E200");
        rejected(tmp, new String[]{"--out", ""}, "--out: must name a directory");
        rejected(tmp, new String[]{"--modes", "plain,1", "--alphas", "1,10"}, "--modes", "--alphas");
        rejected(tmp, new String[]{"--modes", "plain,1", "--no-linearized"}, "--modes", "--no-linearized");
        rejected(tmp, new String[]{"--seeds", "1,2,1"}, "--seeds", "given twice");
        rejected(tmp, new String[]{"--seeds", "1,2", "--seed", "3"}, "--seed", "--seeds");
        rejected(tmp, new String[]{"--seeds", "one"}, "--seeds", "one");
        rejected(tmp, new String[]{"--preset", "huge"}, "--preset", "huge", "medium");
        rejected(tmp, new String[]{"--preset", "medium", "--width-divisor", "3"}, "--width-divisor", "3");
        rejected(tmp, new String[]{"--match-train-accuracy", "1.5"}, "--match-train-accuracy", "1.5");
        rejected(tmp, new String[]{"--match-train-accuracy", "0"}, "--match-train-accuracy", "0");
        rejected(tmp, new String[]{"--model", "resnet50"}, "--model", "resnet50", "resnet18");
        rejected(tmp, new String[]{"--model", "resnet18", "--ntk"}, "--ntk", "vgg11");
        rejected(tmp, new String[]{"--model", "resnet18", "--modes", "standard,ntk-limit"}, "--modes", "ntk-limit",
                "resnet18");
        rejected(tmp, new String[]{"--batch-norm-mode", "eval"}, "--batch-norm-mode", "eval", "training");
    }

    /** Issue 26 row 7: labels and keys from the parsed α, never from a lossy conversion. */
    @Test
    void hugeAlphasAreLabelledWithTheirTrueValue() {
        assertEquals("lazy alpha=100000000000000000000", Mode.parse("1e20").label());
        assertEquals("alpha100000000000000000000", Mode.parse("1e20").key());
        assertEquals("lazy alpha=1000", Mode.parse("1000").label());
        assertEquals("lazy alpha=0.5", Mode.parse("0.5").label());
    }

    @Test
    void modesParseEveryForm() {
        assertEquals(List.of(Mode.plain(), Mode.lazy(1), Mode.lazy(100), Mode.lazy(0.5), Mode.linearized()),
                java.util.stream.Stream.of("plain", "standard", "alpha100", "0.5", "linearized").map(Mode::parse)
                        .toList());
        assertEquals("plain", Mode.plain().key());
        assertFalse(Mode.plain().isCentred() || Mode.plain().isStandard());
        assertTrue(Mode.lazy(1).isStandard());
    }

    @Test
    void batchLargerThanTheTrainingDataIsAnErrorNotClamped(@TempDir Path tmp) throws Exception {
        Path data = CifarExperimentTest.data(tmp);            // 120 training records
        Outcome o = run("--batch-size", "200", "--train-subset", "0", "--test-subset", "0", "--train-eval-subset", "60",
                "--data-dir", data.toString(), "--out", tmp.resolve("out").toString());
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--batch-size") && o.err().contains("200") && o.err().contains("120"), o.err());
        o = run("--test-subset", "100", "--train-subset", "0", "--train-eval-subset", "60",
                "--data-dir", data.toString(), "--out", tmp.resolve("out2").toString());
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--test-subset") && o.err().contains("100") && o.err().contains("40"), o.err());
    }
}
