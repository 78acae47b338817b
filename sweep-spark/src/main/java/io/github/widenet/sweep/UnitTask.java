package io.github.widenet.sweep;

import java.io.Serializable;
import java.util.List;

/** One unit of an experiment run in a Spark task: the experiment's own unit code (serializable, shipped to executors). */
@FunctionalInterface
public interface UnitTask extends Serializable {

    /**
     * Runs {@code unit} of the run described by {@code experimentArgs} to completion (resuming from its checkpoint),
     * recording its result in the run directory.
     */
    void run(List<String> experimentArgs, String unit) throws Exception;

    /**
     * The unit code of the experiment called {@code name}, found again in the executor's JVM (only the name is
     * shipped): its natives chosen first, then {@link io.github.widenet.train.Sweepable#runUnit}.
     */
    static UnitTask of(String name) {
        return (args, unit) -> {
            io.github.widenet.train.Sweepable e = io.github.widenet.train.Sweepable.named(name);
            e.configureNatives();
            e.runUnit(args, unit, System.out);
        };
    }
}
