package io.github.widenet.theory.pde;

import io.github.widenet.train.Sweepable;

/** {@code ./widenet sweep pde}: one task is an SGD run (width × seed, or an ε check) of {@link PdeExperiment}. */
public final class PdeSweepable extends Sweepable.Registration {

    public PdeSweepable() {
        super("pde", "one SGD run: width x seed, or an eps check",
                (runner, log) -> PdeExperiment.commandLine(new PdeExperiment().withLog(log, System.err)
                        .withTaskRunner(runner)),
                PdeExperiment::runTask, () -> { });
    }
}
