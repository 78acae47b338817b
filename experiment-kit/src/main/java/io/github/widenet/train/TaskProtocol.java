package io.github.widenet.train;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The two halves of running an experiment's tasks through a {@link TaskRunner}, written once for every experiment: the
 * driver hands its unfinished tasks to the runner (they are then read as finished tasks by the experiment's own
 * loop); a worker checks that its run directory holds a started run with the same options and finds its task.
 */
public final class TaskProtocol {

    private TaskProtocol() {
    }

    /**
     * Driver: runs the tasks of {@code tasks} that are not {@code finished} through {@code runner} (nothing when the
     * runner is null), saying which were finished in an earlier run.
     */
    public static void runPending(TaskRunner runner, List<String> tasks, Predicate<String> finished,
                                  Supplier<List<String>> workerArgs, PrintStream log) throws IOException {
        if (runner == null) {
            return;
        }
        List<String> pending = new ArrayList<>();
        for (String u : tasks) {
            if (finished.test(u)) {
                log.println(u + ": already finished in an earlier run");
            } else {
                pending.add(u);
            }
        }
        if (!pending.isEmpty()) {
            runner.runAll(workerArgs.get(), pending);
        }
    }

    /**
     * Worker: the saved options of the run the driver started in {@code out}, after checking that they equal
     * {@code resultOptions}.
     *
     * @throws IllegalArgumentException without --out, without a started run there, or with other options
     */
    public static JsonNode startedRun(Path out, Map<String, ?> resultOptions) throws IOException {
        if (out == null) {
            throw new IllegalArgumentException("--out: a task needs the run directory the sweep started");
        }
        JsonNode saved = RunOptionsFile.read(out).orElseThrow(() -> new IllegalArgumentException("--out: " + out
                + " holds no started run (no " + RunOptionsFile.FILE + "); every worker must see the run directory "
                + "the driver created (a shared file system)"));
        RunOptionsFile.checkOptions(out, saved, resultOptions);
        return saved;
    }

    /** Worker: the task called {@code task} among the run's {@code tasks} (name → task); else an error listing them. */
    public static <U> U find(Map<String, U> tasks, String task) {
        U u = tasks.get(task);
        if (u == null) {
            throw new IllegalArgumentException("task '" + task + "' is not one of this run's tasks " + tasks.keySet());
        }
        return u;
    }
}
