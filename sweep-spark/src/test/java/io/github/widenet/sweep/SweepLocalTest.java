package io.github.widenet.sweep;

import io.github.widenet.mnist.MnistExperiment;
import org.apache.spark.TaskContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code sweep mnist --master local[2]}: the same numbers and files as the sequential run; --resume skips finished units
 * without starting Spark, and continues a unit from its checkpoint; bad input is refused naming it.
 */
class SweepLocalTest {

    @BeforeAll
    static void nativesAsTheSweep() {
        // the sequential reference runs on the same ND4J build
        io.github.widenet.train.Sweepable.named("mnist").configureNatives();
    }

    @Test
    void localSweepEqualsTheSequentialRun(@TempDir Path tmp) throws Exception {
        Path data = TinyMnist.data(tmp);
        TinyMnist.Outcome seq = TinyMnist.sequential(TinyMnist.options(data, tmp.resolve("seq"), 12));
        assertEquals(0, seq.code(), seq.err());
        TinyMnist.Outcome sweep = TinyMnist.sweep(TinyMnist.options(data, tmp.resolve("sweep"), 12),
                "--master", "local[2]");
        assertEquals(0, sweep.code(), sweep.err() + sweep.out());
        assertTrue(sweep.out().contains("Sweep: 4 tasks as Spark tasks on local[2]"), sweep.out());
        TinyMnist.assertSameResults(tmp.resolve("seq"), tmp.resolve("sweep"));

        // a finished sweep resumed: every unit is skipped, Spark is not even started, the outputs are rewritten
        TinyMnist.Outcome again = TinyMnist.sweep(TinyMnist.options(data, tmp.resolve("sweep"), 12, "--resume"),
                "--master", "local[2]");
        assertEquals(0, again.code(), again.err());
        assertEquals(4, again.out().lines().filter(l -> l.endsWith("already finished in an earlier run")).count(),
                again.out());
        assertFalse(again.out().contains("Spark tasks"), again.out());
        TinyMnist.assertSameResults(tmp.resolve("seq"), tmp.resolve("sweep"));
    }

    @Test
    void sweepResumesARunFromItsTaskCheckpoints(@TempDir Path tmp) throws Exception {
        Path data = TinyMnist.data(tmp);
        assertEquals(0, TinyMnist.sequential(TinyMnist.options(data, tmp.resolve("seq"), 12)).code());
        // a sequential run stopped after 17 steps: mean-field m20 done, m40 checkpointed at step 5
        Path run = tmp.resolve("run");
        assertEquals(3, TinyMnist.sequential(TinyMnist.options(data, run, 12, "--stop-after-steps", "17",
                "--checkpoint-minutes", "0")).code());
        assertTrue(Files.exists(run.resolve("checkpoints/mean-field-m40.zip")));
        // in local mode the tasks print to this JVM's System.out
        PrintStream stdout = System.out;
        ByteArrayOutputStream tasks = new ByteArrayOutputStream();
        TinyMnist.Outcome sweep;
        try {
            System.setOut(new PrintStream(tasks, true, StandardCharsets.UTF_8));
            sweep = TinyMnist.sweep(TinyMnist.options(data, run, 12, "--resume"), "--master", "local[2]");
        } finally {
            System.setOut(stdout);
        }
        assertEquals(0, sweep.code(), sweep.err());
        assertTrue(sweep.out().contains("mean-field-m20: already finished in an earlier run"), sweep.out());
        assertTrue(sweep.out().contains("Sweep: 3 tasks"), sweep.out());
        assertTrue(tasks.toString(StandardCharsets.UTF_8).contains("mean-field-m40: resuming at step 5 of 12"),
                tasks.toString(StandardCharsets.UTF_8));
        TinyMnist.assertSameResults(tmp.resolve("seq"), run);
    }

    /** The experiment run with units as local Spark tasks whose first attempt fails (after training 5 steps). */
    private static TinyMnist.Outcome failingFirstAttempts(List<String> options, String master) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        SweepTask flaky = (args, unit) -> {
            if (TaskContext.get().attemptNumber() == 0) {
                List<String> partial = new java.util.ArrayList<>(args);
                partial.addAll(List.of("--stop-after-steps", "5"));     // checkpointed when stopped
                try {
                    MnistExperiment.runTask(partial, unit, System.out);
                } catch (IllegalStateException stopped) {
                    throw new IllegalStateException("injected failure of " + unit);
                }
            }
            io.github.widenet.train.Sweepable.named("mnist").runTask(args, unit, System.out);
        };
        SweepOptions o = SweepOptions.parse(List.of("mnist", "--master", master));
        try (Sweep.LazySpark spark = new Sweep.LazySpark(SweepConf.of(o, Map.of(), "", System.out))) {
            var cmd = MnistExperiment.commandLine(new MnistExperiment().withLog(new PrintStream(out, true,
                    StandardCharsets.UTF_8)).withTaskRunner(new SparkTaskRunner(spark, flaky, System.out)));
            cmd.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
            int code = cmd.execute(options.toArray(String[]::new));
            return new TinyMnist.Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void failedTasksAreRetriedFromTheirCheckpointsOrReportedWithTheirCause(@TempDir Path tmp) throws Exception {
        Path data = TinyMnist.data(tmp);
        assertEquals(0, TinyMnist.sequential(TinyMnist.options(data, tmp.resolve("seq"), 12)).code());
        // local[2,2]: every task fails once after 5 steps, its retry resumes from the step-5 checkpoint
        PrintStream stdout = System.out;
        ByteArrayOutputStream tasks = new ByteArrayOutputStream();
        TinyMnist.Outcome retried;
        try {
            System.setOut(new PrintStream(tasks, true, StandardCharsets.UTF_8));
            retried = failingFirstAttempts(TinyMnist.options(data, tmp.resolve("retried"), 12), "local[2,2]");
        } finally {
            System.setOut(stdout);
        }
        assertEquals(0, retried.code(), retried.err());
        String taskLog = tasks.toString(StandardCharsets.UTF_8);
        for (String unit : List.of("mean-field-m20", "mean-field-m40", "ntk-m20", "ntk-m40")) {
            assertTrue(taskLog.contains(unit + ": resuming at step 5 of 12"), unit + "\n" + taskLog);
        }
        TinyMnist.assertSameResults(tmp.resolve("seq"), tmp.resolve("retried"));
        // local[2] does not retry: the sweep stops with exit code 1 and the task's cause on one line
        TinyMnist.Outcome failed = failingFirstAttempts(TinyMnist.options(data, tmp.resolve("failed"), 12), "local[2]");
        assertEquals(1, failed.code(), failed.err());
        assertTrue(failed.err().startsWith("mnist: error: a task's Spark task failed: ")
                && failed.err().contains("injected failure of "), failed.err());
        assertEquals(1, failed.err().strip().lines().count(), failed.err());
        // In-process, the other task of the failed job may still be training (Spark marks it killed, DL4J does not
        // notice; a real `./widenet sweep` exits and ends it): let it finish before JUnit deletes the directory.
        awaitQuiet(tmp.resolve("failed"));
    }

    /** Waits until no file under {@code dir} changes for 3 s (at most 3 minutes). */
    private static void awaitQuiet(Path dir) throws Exception {
        long deadline = System.nanoTime() + 180_000_000_000L;
        String last = "";
        int quiet = 0;
        while (quiet < 6 && System.nanoTime() < deadline) {
            String now;
            try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(dir)) {
                now = files.map(f -> f + ":" + f.toFile().length() + ":" + f.toFile().lastModified())
                        .sorted().reduce("", String::concat);
            }
            quiet = now.equals(last) ? quiet + 1 : 0;
            last = now;
            Thread.sleep(500);
        }
    }

    @Test
    void badInputIsRefusedNamingIt(@TempDir Path tmp) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, Sweep.run(List.of("svhn", "--steps", "3"), System.out, new PrintStream(err, true,
                StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("sweep: unknown experiment 'svhn' (use one of "
                + "[cifar, mnist, pde, teacher-paths, teacher-population, teacher-scale, teacher-width])"), err.toString(StandardCharsets.UTF_8));
        err.reset();
        assertEquals(2, Sweep.run(List.of(), System.out, new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("missing experiment"));

        Path data = TinyMnist.data(tmp);
        TinyMnist.Outcome bad = TinyMnist.sweep(TinyMnist.options(data, tmp.resolve("x"), 12), "--master", "lokal[2]");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--master: 'lokal[2]' is not a Spark master URL"), bad.err());
        bad = TinyMnist.sweep(TinyMnist.options(data, tmp.resolve("x"), 12), "--master");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--master: missing value"), bad.err());
        bad = TinyMnist.sweep(TinyMnist.options(data, tmp.resolve("x"), 12), "--conf", "executor.cores");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--conf"), bad.err());
        // the experiment's own checks and exit codes, before Spark starts
        bad = TinyMnist.sweep(TinyMnist.options(data, tmp.resolve("x"), 12, "--scalings", "lazy"));
        assertEquals(2, bad.code());
        assertTrue(bad.err().startsWith("mnist: --scalings"), bad.err());
        assertFalse(Files.exists(tmp.resolve("x/checkpoints")));
    }
}
