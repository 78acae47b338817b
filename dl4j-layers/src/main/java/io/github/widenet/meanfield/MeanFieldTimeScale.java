package io.github.widenet.meanfield;

import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * The mean-field time scale. With output scale 1/m the gradient of the loss with respect to one unit's parameters is
 * O(1/m), so the seeds' dynamics dw_i/dt = −m·∇_{w_i} F_m need SGD steps of η·m for every unit to move O(1) per
 * unit of time, whatever the width. This class returns that per-layer updater:
 * <pre>{@code
 * MeanFieldLayer.builder().nIn(784).units(m).nOut(10).updater(MeanFieldTimeScale.sgd(eta, m)).build()
 * }</pre>
 * Only plain SGD and SGD with (Nesterov) momentum are rescaled: adaptive methods such as Adam normalise the gradient
 * and have no meaningful η·m form, so they are rejected with an explanation.
 */
public final class MeanFieldTimeScale {

    private MeanFieldTimeScale() {
    }

    /** Plain SGD with step η·m. */
    public static Sgd sgd(double eta, long units) {
        return new Sgd(scaled(eta, units));
    }

    /**
     * The given SGD-type updater with its learning rate (or schedule) multiplied by m.
     *
     * @throws IllegalArgumentException for updaters other than {@link Sgd} and {@link Nesterovs}
     */
    public static IUpdater scale(IUpdater base, long units) {
        checkUnits(units);
        if (base instanceof Sgd) {
            Sgd sgd = (Sgd) base;
            return sgd.getLearningRateSchedule() != null
                    ? new Sgd(new ScaledSchedule(sgd.getLearningRateSchedule(), units))
                    : new Sgd(scaled(sgd.getLearningRate(), units));
        }
        if (base instanceof Nesterovs) {
            Nesterovs n = (Nesterovs) base;
            Nesterovs out = n.clone();
            if (n.getLearningRateSchedule() != null) {
                out.setLearningRateSchedule(new ScaledSchedule(n.getLearningRateSchedule(), units));
            } else {
                out.setLearningRate(scaled(n.getLearningRate(), units));
            }
            return out;
        }
        throw new IllegalArgumentException("The mean-field time scale multiplies SGD step sizes by m; "
                + (base == null ? "no updater" : base.getClass().getSimpleName())
                + " is not an SGD-type updater (adaptive methods rescale gradients themselves). Use Sgd or Nesterovs.");
    }

    private static double scaled(double eta, long units) {
        checkUnits(units);
        if (!(eta > 0) || Double.isInfinite(eta)) {
            throw new IllegalArgumentException("base step size eta must be finite and > 0, got " + eta);
        }
        return eta * units;
    }

    private static void checkUnits(long units) {
        if (units < 1) {
            throw new IllegalArgumentException("units (hidden width m) must be >= 1, got " + units);
        }
    }
}
