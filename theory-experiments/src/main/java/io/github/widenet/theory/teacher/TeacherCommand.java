package io.github.widenet.theory.teacher;

import io.github.widenet.report.RunOutputs;
import io.github.widenet.train.CheckpointStore;
import io.github.widenet.train.CliErrors;
import io.github.widenet.train.RunOptions;
import io.github.widenet.train.ProgressBarListener;
import io.github.widenet.train.RunStart;
import io.github.widenet.train.StopSignal;
import io.github.widenet.train.Sweepable;
import io.github.widenet.train.TaskProtocol;
import io.github.widenet.train.TaskRunner;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * What the teacher–student commands share: {@code --seed}, {@code --threads}, the run options, the run directory, the
 * log, and the running of their independent tasks — recorded one by one in the run's {@link CheckpointStore}, trained
 * on {@code --threads} threads here or handed to a {@link TaskRunner} ({@code ./widenet sweep teacher-…}) — with the
 * worker's side ({@link #runTask}). A command fills its defaults, checks its options and lists its tasks; each task
 * returns its recorded result or trains, records and returns it. A command class is also its own {@link Sweepable}:
 * listing it in {@code META-INF/services/io.github.widenet.train.Sweepable} makes {@code ./widenet sweep <name>} run it.
 */
abstract class TeacherCommand implements Callable<Integer>, Sweepable {

    @Option(names = "--seed", defaultValue = "1", description = "base random seed (default: ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--threads", defaultValue = "1", description = "tasks trained at once; with 2, run with "
            + "OMP_NUM_THREADS=1 so that each takes one core; the same numbers for any count (default: ${DEFAULT-VALUE})")
    int threads;
    @Mixin
    RunOptions run = new RunOptions();
    @Spec
    CommandSpec spec;

    /** The run directory (from --out, chosen when the run starts) and the writer of its outputs. */
    Path out;
    RunOutputs results;
    PrintStream log = System.out;
    private TaskRunner taskRunner;

    /** The command's name, as in {@code ./widenet <name>} and {@code ./widenet sweep <name>}. */
    @Override
    public final String name() {
        return getClass().getAnnotation(CommandLine.Command.class).name();
    }

    /** A new command of this class (a command object is also its own {@link Sweepable} registration). */
    private TeacherCommand fresh() {
        try {
            return getClass().getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(getClass() + " needs a public no-argument constructor", e);
        }
    }

    /** A fresh command running its pending tasks with {@code runner} (null: on its own threads). */
    @Override
    public final CommandLine commandLine(TaskRunner runner, PrintStream log) {
        TeacherCommand c = fresh();
        c.log = log;
        c.taskRunner = runner;
        return c.commandLine();
    }

    /** Fills the defaults that depend on {@code --quick} or on other options (after parsing, before the checks). */
    void applyDefaults() {
    }

    /** Checks the options ({@link io.github.widenet.train.OptionRules#require}). */
    abstract void validate();

    /**
     * The run's tasks by name, in the order of a sequential run; each returns its result from {@code store} or trains,
     * records ({@link CheckpointStore#markDone}) and returns it.
     */
    abstract Map<String, ? extends ParallelTasks.Task<?>> tasks(CheckpointStore store) throws IOException;

    /** The progress of the run's tasks ({@link #progress}, {@link #recordedOrTrained}). */
    private ProgressBarListener bar;
    private final AtomicLong done = new AtomicLong();

    /** Starts the progress bar over all tasks: {@code total} work (steps, or steps × width, …). */
    final void progress(String label, long total) {
        bar = new ProgressBarListener(label, total);
        done.set(0);
    }

    /** Ends the progress bar. */
    final void finishProgress() {
        bar.finish();
    }

    /** How a task's training reports its work as it goes: {@code work} more done, on {@code examples} examples. */
    @FunctionalInterface
    interface Advance {
        void by(long work, long examples);
    }

    /** A task's training: its result, its work reported to {@code advance}. */
    @FunctionalInterface
    interface Training<R> {
        R train(Advance advance) throws IOException;
    }

    /**
     * Task {@code task}'s result: recorded in {@code store}, else trained (after a stop check) and recorded. The bar
     * counts the task's whole {@code work} once it ends, whatever its training reported, and shows {@code shown}.
     */
    final <R> R recordedOrTrained(CheckpointStore store, String task, Class<R> type, long work,
                                  ToDoubleFunction<R> shown, Training<R> training) throws IOException {
        Optional<R> r = store.result(task, type);
        long reported = 0;
        if (r.isEmpty()) {
            StopSignal.check(name(), out, "before task " + task);
            AtomicLong mine = new AtomicLong();
            R trained = training.train((w, examples) -> {
                mine.addAndGet(w);
                synchronized (bar) {
                    bar.step(done.addAndGet(w), Double.NaN, examples);
                }
            });
            store.markDone(task, trained);
            r = Optional.of(trained);
            reported = mine.get();
        }
        synchronized (bar) {
            bar.step(done.addAndGet(work - reported), shown.applyAsDouble(r.get()), 0);
        }
        return r.get();
    }

    /** {@code make}'s value, made once by the first caller (thread-safe): e.g. a seed's data, shared by its tasks. */
    static <T> Supplier<T> once(Supplier<T> make) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = make.get();
                }
                return value;
            }
        };
    }

    /** Options left out of a worker's arguments (e.g. another protocol's, which the command refuses when given). */
    java.util.Collection<String> notForWorkers() {
        return List.of();
    }

    /** Sets where progress and results are printed. */
    @SuppressWarnings("unchecked")
    final <C extends TeacherCommand> C withLog(PrintStream log) {
        this.log = log;
        return (C) this;
    }

    /** This command's command line, with the project's one-line errors and exit codes. */
    final CommandLine commandLine() {
        return CliErrors.configure(new CommandLine(this), name());
    }

    /** Defaults, checks, then opens (or resumes) the run directory; returns the run's checkpoint store. */
    final CheckpointStore start() throws IOException {
        applyDefaults();
        validate();
        out = RunStart.open(name(), run, resultOptions()).data(Map.of()).dir();
        results = new RunOutputs(out);
        return store(out);
    }

    private static CheckpointStore store(Path out) {
        return new CheckpointStore(out.resolve("checkpoints"), Duration.ofMinutes(5));
    }

    /** The options that determine the numbers (checked on --resume and by every worker). */
    private Map<String, Object> resultOptions() {
        return RunOptions.numbers(spec, "--threads");
    }

    /**
     * Runs {@code tasks}: those not yet recorded through the task runner when there is one, then every task here on
     * {@code --threads} threads (a recorded task just returns its result); the results in the order of {@code tasks}.
     */
    final <R> List<R> runTasks(Map<String, ? extends ParallelTasks.Task<R>> tasks, CheckpointStore store)
            throws IOException {
        TaskProtocol.runPending(taskRunner, new ArrayList<>(tasks.keySet()), store::isDone, () -> {
            Map<String, Object> options = resultOptions();
            options.keySet().removeAll(notForWorkers());
            options.put("--out", out);
            return TaskRunner.asArgs(options);
        }, log);
        return ParallelTasks.run(threads, new ArrayList<ParallelTasks.Task<R>>(tasks.values()));
    }

    /**
     * A worker: runs task {@code task} of the run started in {@code args}' --out with a fresh command's code (the same
     * option checks and training as a sequential run); a recorded task is not run again.
     *
     * @throws IllegalArgumentException for options that differ from the run's (run-options.json) or an unknown task
     */
    @Override
    public final void runTask(List<String> args, String task, PrintStream log) throws IOException {
        TeacherCommand command = fresh();
        command.log = log;
        new CommandLine(command).parseArgs(args.toArray(String[]::new));
        command.applyDefaults();
        command.validate();
        command.out = command.run.out();
        TaskProtocol.startedRun(command.out, command.resultOptions());
        TaskProtocol.find(command.tasks(store(command.out)), task).run();
    }
}
