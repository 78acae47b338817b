package io.github.widenet.mnist;

import io.github.widenet.train.TaskRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API a sweep uses: a {@link TaskRunner} is handed the unfinished tasks and worker options, and
 * {@link MnistExperiment#runTask} runs one task of a started run or refuses, naming what is wrong.
 */
class MnistTaskApiTest {

    private static List<String> tiny(Path data, Path out) {
        return new ArrayList<>(List.of("--widths", "20", "--steps", "6", "--batch-size", "50", "--train-subset", "500",
                "--test-subset", "200", "--snapshots", "2", "--bins", "12", "--data-dir", data.toString(), "--out",
                out.toString()));
    }

    @Test
    void aRunnerRunsThePendingTasksWithAbsoluteWorkerOptions(@TempDir Path tmp) throws Exception {
        Path data = MnistCliTest.data(tmp);
        Path out = tmp.resolve("run");
        List<List<String>> calls = new ArrayList<>();
        PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        TaskRunner inProcess = (args, tasks) -> {
            calls.add(tasks);
            for (String task : tasks) {
                MnistExperiment.runTask(args, task, log);
            }
            assertTrue(args.contains(out.toAbsolutePath().toString()) && args.contains("--checkpoint-minutes"),
                    args.toString());
        };
        int code = MnistExperiment.commandLine(new MnistExperiment().withLog(log).withTaskRunner(inProcess))
                .execute(tiny(data, out).toArray(String[]::new));
        assertEquals(0, code);
        assertEquals(List.of(List.of("mean-field-m20", "ntk-m20")), calls);
        assertTrue(Files.exists(out.resolve("report.md")));

        // a finished task returns its recorded result without training
        WidthResult r = MnistExperiment.runTask(tiny(data, out), "ntk-m20", log);
        assertEquals("ntk", r.scaling());
        assertEquals(20, r.width());
    }

    @Test
    void runTaskRefusesWhatIsNotATaskOfTheStartedRun(@TempDir Path tmp) throws Exception {
        Path data = MnistCliTest.data(tmp);
        Path out = tmp.resolve("run");
        PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MnistExperiment.runTask(tiny(data, Files.createDirectories(out)), "ntk-m20", log));
        assertTrue(e.getMessage().startsWith("--out: " + out + " holds no started run"), e.getMessage());

        assertEquals(3, MnistCliTest.run(withStop(tiny(data, out))).code());      // started, stopped after 2 steps
        e = assertThrows(IllegalArgumentException.class, () -> MnistExperiment.runTask(tiny(data, out), "ntk-m7", log));
        assertTrue(e.getMessage().contains("task 'ntk-m7' is not one of this run's"), e.getMessage());
        List<String> otherEta = tiny(data, out);
        otherEta.addAll(List.of("--eta", "2"));
        e = assertThrows(IllegalArgumentException.class, () -> MnistExperiment.runTask(otherEta, "ntk-m20", log));
        assertTrue(e.getMessage().contains("--eta"), e.getMessage());
    }

    private static String[] withStop(List<String> args) {
        List<String> a = new ArrayList<>(args);
        a.addAll(List.of("--stop-after-steps", "2"));
        return a.toArray(String[]::new);
    }
}
