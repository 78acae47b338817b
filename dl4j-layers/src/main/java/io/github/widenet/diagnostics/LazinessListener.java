package io.github.widenet.diagnostics;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A training listener that measures how lazy training is: every {@code frequency} iterations it records the relative
 * parameter change ‖w − w0‖/‖w0‖ (total and per layer) and the share of ReLU units on a probe batch whose sign never
 * changed since initialisation (per layer and overall). Works on plain networks (w0 = the parameters when the listener is
 * created) and on networks made by the lazy or linearized wrappers (w0 stored in the model).
 * <pre>{@code
 * LazinessListener laziness = new LazinessListener(net, probeFeatures, 50);
 * net.setListeners(laziness);
 * net.fit(train, 10);
 * LazinessListener.Record last = laziness.last();
 * }</pre>
 */
public class LazinessListener extends BaseTrainingListener {

    /**
     * One measurement; for a network without ReLU units {@code reluStability} is empty and {@code overallReluStability}
     * NaN.
     */
    public record Record(int iteration, int epoch, ParameterChange change, Map<String, Double> reluStability,
                         double overallReluStability) {
    }

    private final UnderlyingNetwork net;
    private final ReluSignStability stability;
    private final int frequency;
    private final PrintStream out;
    private final List<Record> history = new ArrayList<>();

    /** @param probe a fixed batch of inputs for the ReLU sign patterns; {@code frequency} in iterations */
    public LazinessListener(Model model, INDArray probe, int frequency) {
        this(model, probe, frequency, null);
    }

    public LazinessListener(Model model, INDArray probe, int frequency, PrintStream out) {
        if (frequency < 1) {
            throw new IllegalArgumentException("frequency must be >= 1, got " + frequency);
        }
        this.net = UnderlyingNetwork.of(model).snapshotInitial();
        this.stability = ReluSignStability.hasReluUnits(net) ? new ReluSignStability(net, probe) : null;
        this.frequency = frequency;
        this.out = out;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        if ((iteration + 1) % frequency == 0) {
            measure(iteration, epoch);
        }
    }

    /** Takes a measurement now (also usable without training). */
    public Record measure(int iteration, int epoch) {
        ParameterChange change = ParameterChange.of(net);
        Map<String, Double> relu = stability == null ? Map.of() : stability.update();
        Record r = new Record(iteration, epoch, change, relu, stability == null ? Double.NaN : stability.overall(relu));
        history.add(r);
        if (out != null) {
            out.printf(Locale.ROOT, "iteration %d: |w - w0|/|w0| = %.4g, ReLU signs unchanged = %.4f%n", iteration,
                    change.total(), r.overallReluStability());
        }
        return r;
    }

    public List<Record> history() {
        return Collections.unmodifiableList(history);
    }

    /** The latest measurement, or null before the first. */
    public Record last() {
        return history.isEmpty() ? null : history.get(history.size() - 1);
    }
}
