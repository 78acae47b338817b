package io.github.widenet.train;

import picocli.CommandLine;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * An experiment whose independent units (an MNIST scaling × width, a CIFAR mode, a PDE SGD run) can run outside its
 * own loop, e.g. as Spark tasks ({@code ./widenet sweep <name>}): its command with a {@link UnitRunner} (the driver)
 * and the code of one unit (a worker). Implementations are listed in
 * {@code META-INF/services/io.github.widenet.train.Sweepable}; {@link #all()} finds them on the class path. A
 * registration is usually a {@link Registration} subclass with a no-argument constructor.
 */
public interface Sweepable {

    /** The command's name, as in {@code ./widenet <name>} and {@code ./widenet sweep <name>}. */
    String name();

    /** What one unit is, for the sweep's usage ("one scaling × width"). */
    String unitDescription();

    /** The experiment's command line (its options, checks, exit codes) running its pending units with {@code runner}. */
    CommandLine commandLine(UnitRunner runner, PrintStream log);

    /**
     * Runs one unit of a started run in this JVM (a worker): {@code args} are the driver's {@link UnitRunner} arguments
     * (the run's options with an absolute --out).
     */
    void runUnit(List<String> args, String unit, PrintStream log) throws Exception;

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

    /** One unit's code of a started run (a worker). */
    @FunctionalInterface
    interface UnitCode {
        void run(List<String> args, String unit, PrintStream log) throws Exception;
    }

    /** A {@link Sweepable} made of its parts, for registrations in a line or two. */
    abstract class Registration implements Sweepable {
        private final String name;
        private final String unitDescription;
        private final java.util.function.BiFunction<UnitRunner, PrintStream, CommandLine> command;
        private final UnitCode unitCode;
        private final Runnable natives;

        protected Registration(String name, String unitDescription,
                               java.util.function.BiFunction<UnitRunner, PrintStream, CommandLine> command,
                               UnitCode unitCode, Runnable natives) {
            this.name = name;
            this.unitDescription = unitDescription;
            this.command = command;
            this.unitCode = unitCode;
            this.natives = natives;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String unitDescription() {
            return unitDescription;
        }

        @Override
        public CommandLine commandLine(UnitRunner runner, PrintStream log) {
            return command.apply(runner, log);
        }

        @Override
        public void runUnit(List<String> args, String unit, PrintStream log) throws Exception {
            unitCode.run(args, unit, log);
        }

        @Override
        public void configureNatives() {
            natives.run();
        }
    }
}
