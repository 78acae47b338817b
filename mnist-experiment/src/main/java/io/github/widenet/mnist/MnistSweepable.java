package io.github.widenet.mnist;

import io.github.widenet.nd4j.OneDnn;
import io.github.widenet.train.Sweepable;

/**
 * {@code ./widenet sweep mnist}: one task is a scaling × width of {@link MnistExperiment}. Natives: nd4j-native's
 * default build, as {@code ./widenet mnist} loads (with the oneDNN build also on a sweep's class path, for CIFAR,
 * JavaCPP would pick that one and the numbers could differ in the last bits).
 */
public final class MnistSweepable extends Sweepable.Registration {

    public MnistSweepable() {
        super("mnist", "one scaling x width",
                (runner, log) -> MnistExperiment.commandLine(new MnistExperiment().withLog(log).withTaskRunner(runner)),
                MnistExperiment::runTask, () -> {
                    if (System.getProperty(OneDnn.EXTENSION_PROPERTY) == null) {
                        System.setProperty(OneDnn.EXTENSION_PROPERTY, "");
                    }
                });
    }
}
