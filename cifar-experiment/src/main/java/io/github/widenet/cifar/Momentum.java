package io.github.widenet.cifar;

import io.github.widenet.sgd.HeavyBall;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.schedule.ISchedule;

import java.util.Locale;

/**
 * The momentum of the SGD updates (--momentum-kind): heavy-ball v ← μ·v + g, w ← w − η_t·v (the reference code's
 * PyTorch SGD), or DL4J's Nesterov momentum.
 */
public enum Momentum {
    HEAVY_BALL("heavy-ball"), NESTEROV("nesterov");

    private final String option;

    Momentum(String option) {
        this.option = option;
    }

    /** As on the command line: "heavy-ball" or "nesterov". */
    public String option() {
        return option;
    }

    /** The updater with step schedule {@code lr} and momentum μ. */
    public IUpdater updater(ISchedule lr, double mu) {
        return this == HEAVY_BALL ? new HeavyBall(lr, mu) : new Nesterovs(lr, mu);
    }

    /** "heavy-ball" or "nesterov" (any case); otherwise an error naming the option. */
    public static Momentum parse(String option, String value) {
        for (Momentum m : values()) {
            if (m.option.equals(value.toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException(option + ": must be heavy-ball or nesterov, got '" + value + "'");
    }
}
