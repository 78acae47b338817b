package io.github.widenet.train;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared start of a run, through a command built like the experiments' (mixin, CliErrors). */
class RunStartTest {

    /** A command with one unit per width; records what it trained. */
    @Command(name = "toy", mixinStandardHelpOptions = true)
    static final class Toy implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        RunOptions run = new RunOptions();
        @Option(names = "--eta", defaultValue = "0.5")
        double eta;
        @Option(names = "--widths", split = ",", defaultValue = "4,8")
        List<Integer> widths;
        @Option(names = "--checkpoint-minutes", defaultValue = "5")
        double checkpointMinutes;
        @Option(names = "--stop-after", hidden = true, defaultValue = "-1")
        int stopAfter;

        @Override
        public Integer call() throws Exception {
            RunStart start = RunStart.open("toy", run, RunOptions.numbers(spec, "--checkpoint-minutes"));
            start.data(Map.of("crc", "ab12"));
            CheckpointStore store = new CheckpointStore(start.dir().resolve("checkpoints"), java.time.Duration.ZERO);
            for (int m : widths) {
                StopSignal.check("toy", start.dir(), "before task m=" + m);
                store.markDone("m=" + m, Map.of("eta", eta));
            }
            return 0;
        }
    }

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = CliErrors.configure(new CommandLine(new Toy()), "toy");
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @AfterEach
    void clearStop() {
        StopSignal.clear();
    }

    @Test
    void numbersAreEveryOptionButHelpHiddenTheMixinAndTheNamedOnes() {
        Toy t = new Toy();
        new CommandLine(t).parseArgs("--eta", "0.3", "--out", "x");
        assertEquals(Map.of("--eta", 0.3, "--widths", List.of(4, 8)), RunOptions.numbers(t.spec, "--checkpoint-minutes"));
    }

    @Test
    void resumeWithAnotherValueIsRefusedNamingBothValues(@TempDir Path dir) {
        Path out = dir.resolve("run");
        assertEquals(0, run("--out", out.toString()));
        assertEquals(2, run("--out", out.toString(), "--resume", "--eta", "0.3"));
        String line = err.toString().strip();
        assertTrue(line.startsWith("toy: --resume: the run in ") && line.contains("--eta 0.5 (now 0.3)")
                && line.lines().count() == 1, line);
        assertEquals(0, run("--out", out.toString(), "--resume", "--checkpoint-minutes", "1"));
    }

    @Test
    void aFreshRunRefusesAnEarlierOneUnlessOverwrite(@TempDir Path dir) {
        Path out = dir.resolve("run");
        assertEquals(0, run("--out", out.toString()));
        assertEquals(2, run("--out", out.toString()));
        assertTrue(err.toString().contains("holds a previous run; use --resume to continue it or --overwrite"), err.toString());
        assertEquals(0, run("--out", out.toString(), "--overwrite", "--eta", "0.25"));
    }

    @Test
    void anEmptyOutIsAnInvalidOption() {
        assertEquals(2, run("--out", ""));
        assertTrue(err.toString().startsWith("toy: --out: must name a directory"), err.toString());
    }

    @Test
    void aStopRequestEndsTheRunWithExit3AndTheWayToResume(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        StopSignal.received("SIGINT");
        assertEquals(3, run("--out", out.toString()));
        String line = err.toString().strip().lines().reduce((a, b) -> b).orElse("");
        assertEquals("toy: interrupted by SIGINT before task m=4; the run is checkpointed: continue with ./widenet toy "
                + "--resume --out " + out, line);
        assertTrue(Files.isRegularFile(out.resolve(RunOptionsFile.FILE)));
        StopSignal.clear();
        assertEquals(2, run("--out", out.toString(), "--resume"));   // nothing finished yet: no run to resume
        assertFalse(Files.exists(out.resolve("checkpoints")));
    }
}
