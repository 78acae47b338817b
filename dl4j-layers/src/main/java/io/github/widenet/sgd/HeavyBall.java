package io.github.widenet.sgd;

import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

import java.util.Map;
import java.util.Objects;

/**
 * Heavy-ball (Polyak) momentum as PyTorch's {@code SGD(momentum=μ)} with no dampening: v ← μ·v + g, w ← w − η_t·v
 * (DL4J's {@code Nesterovs} is Nesterov's variant instead). The velocity v is the updater state (one value per
 * parameter); the step η_t is a constant or an {@link ISchedule}. JSON-serialisable like DL4J's own updaters.
 */
public final class HeavyBall implements IUpdater {

    private double learningRate;
    private ISchedule learningRateSchedule;
    private double momentum;

    @JsonCreator
    public HeavyBall(@JsonProperty("learningRate") double learningRate,
                     @JsonProperty("learningRateSchedule") ISchedule learningRateSchedule,
                     @JsonProperty("momentum") double momentum) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("heavy-ball momentum must be in [0, 1), got " + momentum);
        }
        this.learningRate = learningRate;
        this.learningRateSchedule = learningRateSchedule;
        this.momentum = momentum;
    }

    /** Step η_t from {@code schedule}. */
    public HeavyBall(ISchedule schedule, double momentum) {
        this(0, schedule, momentum);           // 0: unused beside a schedule (JSON has no NaN)
    }

    /** Constant step η. */
    public HeavyBall(double learningRate, double momentum) {
        this(learningRate, null, momentum);
    }

    public double getLearningRate() {
        return learningRate;
    }

    public ISchedule getLearningRateSchedule() {
        return learningRateSchedule;
    }

    public double getMomentum() {
        return momentum;
    }

    @Override
    public long stateSize(long numParams) {
        return numParams;
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        Updater u = new Updater(this);
        u.setStateViewArray(viewArray, viewArray.shape(), viewArray.ordering(), initializeViewArray);
        return u;
    }

    @Override
    public GradientUpdater instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
        Updater u = new Updater(this);
        u.setState(updaterState, initializeStateArrays);
        return u;
    }

    @Override
    public HeavyBall clone() {
        return new HeavyBall(learningRate, learningRateSchedule == null ? null : learningRateSchedule.clone(),
                momentum);
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return learningRateSchedule != null ? learningRateSchedule.valueAt(iteration, epoch) : learningRate;
    }

    @Override
    public boolean hasLearningRate() {
        return true;
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
        this.learningRate = lr;
        this.learningRateSchedule = lrSchedule;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeavyBall h && Double.compare(h.learningRate, learningRate) == 0
                && Double.compare(h.momentum, momentum) == 0
                && Objects.equals(h.learningRateSchedule, learningRateSchedule);
    }

    @Override
    public int hashCode() {
        return Objects.hash(learningRate, learningRateSchedule, momentum);
    }

    @Override
    public String toString() {
        return "HeavyBall(lr=" + (learningRateSchedule != null ? learningRateSchedule : learningRate) + ", momentum="
                + momentum + ")";
    }

    /** The per-parameter state v; turns the gradient g into the step η_t·v with v ← μ·v + g. */
    static final class Updater implements GradientUpdater<HeavyBall> {
        static final String VELOCITY = "V";
        private final HeavyBall config;
        private INDArray v;

        Updater(HeavyBall config) {
            this.config = config;
        }

        @Override
        public HeavyBall getConfig() {
            return config;
        }

        @Override
        public void setState(Map<String, INDArray> state, boolean initialize) {
            if (state == null || state.size() != 1 || !state.containsKey(VELOCITY)) {
                throw new IllegalStateException("heavy-ball state must hold exactly " + VELOCITY + ", got "
                        + (state == null ? null : state.keySet()));
            }
            v = state.get(VELOCITY);
            if (initialize) {
                v.assign(0);
            }
        }

        @Override
        public Map<String, INDArray> getState() {
            return Map.of(VELOCITY, v);
        }

        @Override
        public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder,
                                      boolean initialize) {
            if (!viewArray.isRowVectorOrScalar()) {
                throw new IllegalArgumentException("heavy-ball state must be a row vector, got shape "
                        + java.util.Arrays.toString(viewArray.shape()));
            }
            if (initialize) {
                viewArray.assign(0);
            }
            v = viewArray.reshape(gradientOrder, gradientShape);
        }

        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            if (v == null) {
                throw new IllegalStateException("heavy-ball updater has no state (setStateViewArray not called)");
            }
            v.muli(config.momentum).addi(gradient);
            gradient.assign(v).muli(config.getLearningRate(iteration, epoch));
        }
    }
}
