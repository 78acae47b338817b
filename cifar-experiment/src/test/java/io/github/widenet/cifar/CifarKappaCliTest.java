package io.github.widenet.cifar;

import io.github.widenet.testkit.CommandCheck.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
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
 * cifar-kappa and cifar-bench keep the promises of the other commands (issue 26, rows 9–12, 18, 19 and the missing
 * --data-dir): an earlier run is not overwritten without --overwrite, the advice names options the command has, an
 * impossible --images is exit 2 before data (or names the data's true count), one line per error.
 */
class CifarKappaCliTest {

    private static Outcome run(Object command, String name, String... args) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        CommandLine cl = command instanceof CifarKappa k
                ? CifarKappa.commandLine(k.withLog(new PrintStream(log, true, StandardCharsets.UTF_8)))
                : io.github.widenet.train.CliErrors.configure(new CommandLine(command), name);
        int code = cl.setOverwrittenOptionsAllowed(true).setErr(new PrintWriter(err, true)).execute(args);
        return new Outcome(code, log.toString(StandardCharsets.UTF_8), err.toString().strip());
    }

    private static Outcome kappa(Path data, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("--images", "10", "--alphas", "1,10", "--width-divisor", "64",
                "--data-dir", data.toString(), "--out", out.toString()));
        a.addAll(Arrays.asList(extra));
        return run(new CifarKappa(), "cifar-kappa", a.toArray(String[]::new));
    }

    private static void oneLine(Outcome o, int code, String... parts) {
        assertEquals(code, o.code(), o.err());
        assertEquals(1, o.err().lines().count(), o.err());
        assertFalse(o.err().contains("\tat "), o.err());
        for (String p : parts) {
            assertTrue(o.err().contains(p), "'" + p + "' missing: " + o.err());
        }
    }

    @Test
    void anEarlierRunIsKeptUnlessOverwriteAndAResumeReusesItsAlphas(@TempDir Path tmp) throws Exception {
        Path data = CifarExperimentTest.data(tmp);
        Path out = tmp.resolve("kappa");
        assertEquals(0, kappa(data, out).code());
        String csv = Files.readString(out.resolve("kappa.csv"));
        oneLine(kappa(data, out, "--seed", "2"), 2, "--out " + out + " holds a previous run", "--resume", "--overwrite");
        assertEquals(csv, Files.readString(out.resolve("kappa.csv")));
        oneLine(kappa(data, out, "--resume", "--seed", "2"), 2, "--seed 1 (now 2)");
        Outcome resumed = kappa(data, out, "--resume");
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals(csv, Files.readString(out.resolve("kappa.csv")));
        Outcome again = kappa(data, out, "--overwrite", "--seed", "2");
        assertEquals(0, again.code(), again.err());
        assertFalse(csv.equals(Files.readString(out.resolve("kappa.csv"))), "replaced with --overwrite");
    }

    @Test
    void anotherCommandsRunGetsOneLineWithAdviceThatExists(@TempDir Path tmp) throws Exception {
        Path data = CifarExperimentTest.data(tmp);
        Path mnistRun = tmp.resolve("mnist-run");
        Files.createDirectories(mnistRun.resolve("checkpoints"));
        Files.writeString(mnistRun.resolve("checkpoints/done-mean-field-m20.json"), "{}");
        oneLine(kappa(data, mnistRun), 2, "holds a previous run; use --resume to continue it or --overwrite");
        oneLine(kappa(data, mnistRun, "--resume"), 2, "--resume: " + mnistRun, "run-options.json");
    }

    @Test
    void imagesBeyondTheTestSetAreRefusedBeforeOrAfterReadingTheData(@TempDir Path tmp) throws Exception {
        Path data = CifarExperimentTest.data(tmp);
        Outcome o = kappa(data, tmp.resolve("a"), "--images", "100000");
        oneLine(o, 2, "--images: must be between 1 and 10000, got 100000");
        assertFalse(Files.exists(tmp.resolve("a")));
        int test = new io.github.widenet.cifar.data.CifarLocator().locate(java.util.Optional.of(data), false).test().size();
        oneLine(kappa(data, tmp.resolve("b"), "--images", String.valueOf(test + 1)), 2,
                "--images: " + (test + 1) + " exceeds the " + test + " test images");
        oneLine(kappa(tmp.resolve("no-such-dir"), tmp.resolve("c")), 2, "--data-dir: no such directory");
    }

    @Test
    void cifarBenchPeerFilesAreOneLineErrors(@TempDir Path tmp) throws Exception {
        oneLine(run(new CifarBench(), "cifar-bench", "--peer", tmp.resolve("nonexistent").toString()), 2,
                "cifar-bench: --peer: no such file");
        Path readme = Files.writeString(tmp.resolve("README.md"), "# not a peer file\n");
        oneLine(run(new CifarBench(), "cifar-bench", "--peer", readme.toString()), 1,
                "no 'torch two-layer' or 'torch vgg11' lines in the peer results file " + readme);
    }
}
