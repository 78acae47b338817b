package io.github.widenet.theory.teacher;

import io.github.widenet.train.Sweepable;

import java.util.function.Supplier;

/**
 * {@code ./widenet sweep teacher-…}: the teacher–student commands as {@link Sweepable}s, each unit one run of the
 * command ({@link TeacherCommand#units}), listed in {@code META-INF/services/io.github.widenet.train.Sweepable}.
 */
public final class TeacherSweepables {

    private TeacherSweepables() {
    }

    /** A registration of the command made by {@code command}. */
    private abstract static class Of extends Sweepable.Registration {
        Of(String unitDescription, Supplier<TeacherCommand> command) {
            super(command.get().name(), unitDescription,
                    (runner, log) -> command.get().withLog(log).withUnitRunner(runner).commandLine(),
                    (args, unit, log) -> TeacherCommand.runUnit(command.get(), args, unit, log), () -> { });
        }
    }

    /** {@code teacher-scale}: one GD run (seed, τ). */
    public static final class Scale extends Of {
        public Scale() {
            super("one GD run: seed x tau", ScaleSweep::new);
        }
    }

    /** {@code teacher-width}: one run (trial, scaling, m). */
    public static final class Width extends Of {
        public Width() {
            super("one run: trial x scaling x m", WidthSweep::new);
        }
    }

    /** {@code teacher-population}: one population-SGD run (trial, τ). */
    public static final class Population extends Of {
        public Population() {
            super("one population-SGD run: trial x tau", PopulationSweep::new);
        }
    }

    /** {@code teacher-paths}: one GD run (teacher size, τ) with its unit paths. */
    public static final class Paths extends Of {
        public Paths() {
            super("one GD run: teacher size x tau", PathsExperiment::new);
        }
    }
}
