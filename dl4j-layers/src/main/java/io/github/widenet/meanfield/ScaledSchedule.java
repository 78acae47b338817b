package io.github.widenet.meanfield;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Objects;

/** A learning-rate schedule multiplied by a constant factor: value(t) = factor · base.value(t). */
public class ScaledSchedule implements ISchedule {

    private final ISchedule base;
    private final double factor;

    public ScaledSchedule(@JsonProperty("base") ISchedule base, @JsonProperty("factor") double factor) {
        this.base = Objects.requireNonNull(base, "base schedule");
        this.factor = factor;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        return factor * base.valueAt(iteration, epoch);
    }

    @Override
    public ISchedule clone() {
        return new ScaledSchedule(base.clone(), factor);
    }

    public ISchedule getBase() {
        return base;
    }

    public double getFactor() {
        return factor;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScaledSchedule && ((ScaledSchedule) o).base.equals(base)
                && Double.compare(((ScaledSchedule) o).factor, factor) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(base, factor);
    }
}
