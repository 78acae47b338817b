package io.github.widenet.sweep;

import io.github.widenet.cifar.CifarExperiment;
import io.github.widenet.mnist.MnistExperiment;
import io.github.widenet.nd4j.OneDnn;
import io.github.widenet.train.UnitRunner;
import picocli.CommandLine;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * The experiments a sweep can run: how to build the experiment's command with a {@link UnitRunner} (the driver) and how
 * to run one of its units (a task on an executor). Units: MNIST one scaling × width, CIFAR one mode.
 */
public enum Experiment {

    MNIST {
        @Override
        CommandLine command(UnitRunner runner, PrintStream log) {
            return MnistExperiment.commandLine(new MnistExperiment().withLog(log).withUnitRunner(runner));
        }

        @Override
        void runUnit(java.util.List<String> args, String unit) throws Exception {
            MnistExperiment.runUnit(args, unit, System.out);
        }

        /**
         * nd4j-native's default build, as {@code ./widenet mnist} loads: with the oneDNN build also on this module's
         * class path (for CIFAR) JavaCPP would otherwise pick that one, and the numbers could differ in the last bits.
         */
        @Override
        void configureNatives() {
            if (System.getProperty(OneDnn.EXTENSION_PROPERTY) == null) {
                System.setProperty(OneDnn.EXTENSION_PROPERTY, "");
            }
        }
    },

    CIFAR {
        @Override
        CommandLine command(UnitRunner runner, PrintStream log) {
            return CifarExperiment.commandLine(new CifarExperiment().withLog(log).withUnitRunner(runner));
        }

        @Override
        void runUnit(java.util.List<String> args, String unit) throws Exception {
            CifarExperiment.runUnit(args, unit, System.out);
        }

        /** oneDNN as {@code ./widenet cifar} selects it ({@link OneDnn#configure()}), before ND4J loads. */
        @Override
        void configureNatives() {
            OneDnn.configure();
        }
    };

    /** The experiment's command line (its options, checks, exit codes) running its units with {@code runner}. */
    abstract CommandLine command(UnitRunner runner, PrintStream log);

    /** Runs one unit of a started run in this JVM (called inside a Spark task). */
    abstract void runUnit(java.util.List<String> args, String unit) throws Exception;

    /** Called before ND4J loads in the driver and in each task (CIFAR selects its oneDNN natives). */
    void configureNatives() {
    }

    /** The unit code as a serializable task for Spark. */
    UnitTask task() {
        Experiment e = this;
        return (args, unit) -> {
            e.configureNatives();
            e.runUnit(args, unit);
        };
    }

    /** The lower-case command name, as in {@code ./widenet sweep mnist}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The experiment named {@code name}; an unknown name is an error listing the known ones. */
    public static Experiment parse(String name) {
        for (Experiment e : values()) {
            if (e.label().equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown experiment '" + name + "' (use one of "
                + Arrays.stream(values()).map(Experiment::label).toList() + ")");
    }
}
