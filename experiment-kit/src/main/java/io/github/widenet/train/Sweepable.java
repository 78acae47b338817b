package io.github.widenet.train;

import picocli.CommandLine;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * An experiment whose independent tasks (an MNIST scaling × width, a CIFAR mode, a PDE SGD run) can run outside its
 * own loop, e.g. as Spark tasks ({@code ./widenet sweep <name>}): its command with a {@link TaskRunner} (the driver)
 * and the code of one task (a worker). Implementations are listed in
 * {@code META-INF/services/io.github.widenet.train.Sweepable}; {@link #all()} finds them on the class path. A
 * registration is usually a {@link Registration} subclass with a no-argument constructor.
 */
public interface Sweepable {

    /** The command's name, as in {@code ./widenet <name>} and {@code ./widenet sweep <name>}. */
    String name();

    /** What one task is, for the sweep's usage ("one scaling × width"). */
    String taskDescription();

    /** The experiment's command line (its options, checks, exit codes) running its pending tasks with {@code runner}. */
    CommandLine commandLine(TaskRunner runner, PrintStream log);

    /**
     * Runs one task of a started run in this JVM (a worker): {@code args} are the driver's {@link TaskRunner} arguments
     * (the run's options with an absolute --out).
     */
    void runTask(List<String> args, String task, PrintStream log) throws Exception;

    /** Called before ND4J loads in the driver and in each worker (e.g. to select nd4j-native's oneDNN build). */
    default void configureNatives() {
    }

    /** Every experiment on the class path, by name. */
    static java.util.SortedMap<String, Sweepable> all() {
        TreeMap<String, Sweepable> m = new TreeMap<>();
        for (Sweepable s : ServiceLoader.load(Sweepable.class)) {
            m.put(s.name(), s);
        }
        return m;
    }

    /** The experiment named {@code name}; an unknown name is an error listing the known ones. */
    static Sweepable named(String name) {
        Sweepable s = all().get(name.toLowerCase(Locale.ROOT));
        if (s == null) {
            throw new IllegalArgumentException("unknown experiment '" + name + "' (use one of " + all().keySet() + ")");
        }
        return s;
    }

    /** One task's code of a started run (a worker). */
    @FunctionalInterface
    interface TaskCode {
        void run(List<String> args, String task, PrintStream log) throws Exception;
    }

    /** A {@link Sweepable} made of its parts, for registrations in a line or two. */
    abstract class Registration implements Sweepable {
        private final String name;
        private final String taskDescription;
        private final java.util.function.BiFunction<TaskRunner, PrintStream, CommandLine> command;
        private final TaskCode taskCode;
        private final Runnable natives;

        protected Registration(String name, String taskDescription,
                               java.util.function.BiFunction<TaskRunner, PrintStream, CommandLine> command,
                               TaskCode taskCode, Runnable natives) {
            this.name = name;
            this.taskDescription = taskDescription;
            this.command = command;
            this.taskCode = taskCode;
            this.natives = natives;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String taskDescription() {
            return taskDescription;
        }

        @Override
        public CommandLine commandLine(TaskRunner runner, PrintStream log) {
            return command.apply(runner, log);
        }

        @Override
        public void runTask(List<String> args, String task, PrintStream log) throws Exception {
            taskCode.run(args, task, log);
        }

        @Override
        public void configureNatives() {
            natives.run();
        }
    }
}
