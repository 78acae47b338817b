package io.github.widenet.cifar;

import io.github.widenet.nd4j.OneDnn;
import io.github.widenet.train.Sweepable;

/**
 * {@code ./widenet sweep cifar}: one task is a mode (of a seed) of {@link CifarExperiment}; oneDNN selected as
 * {@code ./widenet cifar} does ({@link OneDnn#configure()}), before ND4J loads.
 */
public final class CifarSweepable extends Sweepable.Registration {

    public CifarSweepable() {
        super("cifar", "one mode of a seed",
                (runner, log) -> CifarExperiment.commandLine(new CifarExperiment().withLog(log).withTaskRunner(runner)),
                CifarExperiment::runTask, OneDnn::configure);
    }
}
