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
 * MeanFieldLayer.builder().nIn(784).units(m).nOut(10).meanFieldSgd(eta).build()              // m given once
 * MeanFieldLayer.builder().nIn(784).units(m).nOut(10).updater(MeanFieldTimeScale.sgd(eta, m)).build()
 * }</pre>
 * The updaters returned remember m ({@link #unitsOf}), so a {@code MeanFieldLayer} refuses one scaled for another
 * width.
 * Only plain SGD and SGD with (Nesterov) momentum are rescaled: adaptive methods such as Adam normalise the gradient
 * and have no meaningful η·m form, so they are rejected with an explanation.
 */
public final class MeanFieldTimeScale {

    private MeanFieldTimeScale() {
    }

    /** Plain SGD with step η·m. */
    public static Sgd sgd(double eta, long units) {
        return new ScaledSgd(scaled(eta, units), null, units);
    }

    /** The width m an updater of this class was scaled for, or empty for any other updater. */
    public static java.util.OptionalLong unitsOf(IUpdater updater) {
        if (updater instanceof ScaledSgd) {
            return java.util.OptionalLong.of(((ScaledSgd) updater).units);
        }
        if (updater instanceof ScaledNesterovs) {
            return java.util.OptionalLong.of(((ScaledNesterovs) updater).units);
        }
        return java.util.OptionalLong.empty();
    }

    /**
     * The given SGD-type updater with its learning rate (or schedule) multiplied by m.
     *
     * @throws IllegalArgumentException for updaters other than {@link Sgd} and {@link Nesterovs}
     */
    public static IUpdater scale(IUpdater base, long units) {
        checkUnits(units);
        if (unitsOf(base).isPresent()) {
            throw new IllegalArgumentException("the updater is already scaled for m = " + unitsOf(base).getAsLong()
                    + "; scale the base updater (step eta) once");
        }
        if (base instanceof Sgd) {
            Sgd sgd = (Sgd) base;
            return sgd.getLearningRateSchedule() != null
                    ? new ScaledSgd(Double.NaN, new ScaledSchedule(sgd.getLearningRateSchedule(), units), units)
                    : new ScaledSgd(scaled(sgd.getLearningRate(), units), null, units);
        }
        if (base instanceof Nesterovs) {
            Nesterovs n = (Nesterovs) base;
            ScaledNesterovs out = new ScaledNesterovs();
            out.units = units;
            out.setMomentum(n.getMomentum());
            out.setMomentumISchedule(n.getMomentumISchedule() == null ? null : n.getMomentumISchedule().clone());
            out.setMomentumSchedule(n.getMomentumSchedule());
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

    /** {@link Sgd} with step η·m that remembers m (equal to an {@code Sgd} with the same step; serialised with m). */
    public static final class ScaledSgd extends Sgd {
        private long units;

        /** For JSON deserialisation only. */
        public ScaledSgd() {
        }

        private ScaledSgd(double learningRate, ISchedule schedule, long units) {
            super(learningRate);
            if (schedule != null) {
                setLearningRateSchedule(schedule);
            }
            this.units = units;
        }

        public long getUnits() {
            return units;
        }

        @Override
        public ScaledSgd clone() {
            return new ScaledSgd(getLearningRate(),
                    getLearningRateSchedule() == null ? null : getLearningRateSchedule().clone(), units);
        }
    }

    /** {@link Nesterovs} with step η·m that remembers m. */
    public static final class ScaledNesterovs extends Nesterovs {
        private long units;

        /** For JSON deserialisation only. */
        public ScaledNesterovs() {
        }

        public long getUnits() {
            return units;
        }

        @Override
        public ScaledNesterovs clone() {
            ScaledNesterovs c = new ScaledNesterovs();
            c.units = units;
            c.setLearningRate(getLearningRate());
            c.setLearningRateSchedule(getLearningRateSchedule() == null ? null : getLearningRateSchedule().clone());
            c.setMomentum(getMomentum());
            c.setMomentumISchedule(getMomentumISchedule() == null ? null : getMomentumISchedule().clone());
            c.setMomentumSchedule(getMomentumSchedule());
            return c;
        }
    }
}
