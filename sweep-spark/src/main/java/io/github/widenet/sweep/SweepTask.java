package io.github.widenet.sweep;

import java.io.Serializable;
import java.util.List;

/** One task of an experiment run in a Spark task: the experiment's own task code (serializable, shipped to executors). */
@FunctionalInterface
public interface SweepTask extends Serializable {

    /**
     * Runs {@code task} of the run described by {@code experimentArgs} to completion (resuming from its checkpoint),
     * recording its result in the run directory.
     */
    void run(List<String> experimentArgs, String task) throws Exception;

    /**
     * The task code of the experiment called {@code name}, found again in the executor's JVM (only the name is
     * shipped): its natives chosen first, then {@link io.github.widenet.train.Sweepable#runTask}.
     */
    static SweepTask of(String name) {
        return (args, task) -> {
            io.github.widenet.train.Sweepable e = io.github.widenet.train.Sweepable.named(name);
            e.configureNatives();
            e.runTask(args, task, System.out);
        };
    }
}
