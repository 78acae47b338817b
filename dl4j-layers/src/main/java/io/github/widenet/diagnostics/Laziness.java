package io.github.widenet.diagnostics;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * One-shot laziness measurements (without a listener): the relative parameter change ‖w − w0‖/‖w0‖ (total and per
 * layer) and, on a probe batch, the share of ReLU units whose pre-activation has the same sign now as at w0 (per layer and
 * overall; NaN without ReLU units). A network made by the lazy or linearized wrapper supplies its stored w0; a plain
 * network needs its initial parameters. Use {@link LazinessListener} to track "never changed" over training.
 */
public final class Laziness {

    private Laziness() {
    }

    /** For a network made by {@link io.github.widenet.lazy.LazyWrapper} or the linearized wrapper. */
    public static LazinessListener.Record measure(Model wrapped, INDArray probe) {
        UnderlyingNetwork net = UnderlyingNetwork.of(wrapped);
        if (!net.isWrapped()) {
            throw new IllegalArgumentException("a plain network has no stored w0: use measure(net, initialParams, probe)");
        }
        return measure(wrapped, net, probe);
    }

    /** For a plain network, against its parameters {@code initialParams} (flat, as {@code net.params()} was then). */
    public static LazinessListener.Record measure(Model net, INDArray initialParams, INDArray probe) {
        return measure(net, UnderlyingNetwork.of(net).withInitial(initialParams), probe);
    }

    private static LazinessListener.Record measure(Model model, UnderlyingNetwork net, INDArray probe) {
        ParameterChange change = ParameterChange.of(net);
        if (!ReluSignStability.hasReluUnits(net)) {
            return new LazinessListener.Record(iteration(model), epoch(model), change, Map.of(), Double.NaN);
        }
        ReluSignStability s = new ReluSignStability(net, probe);
        Map<String, Double> perLayer = s.update();
        return new LazinessListener.Record(iteration(model), epoch(model), change, perLayer, s.overall(perLayer));
    }

    private static int iteration(Model m) {
        return m instanceof MultiLayerNetwork ? ((MultiLayerNetwork) m).getIterationCount()
                : m instanceof ComputationGraph ? ((ComputationGraph) m).getIterationCount() : -1;
    }

    private static int epoch(Model m) {
        return m instanceof MultiLayerNetwork ? ((MultiLayerNetwork) m).getEpochCount()
                : m instanceof ComputationGraph ? ((ComputationGraph) m).getEpochCount() : -1;
    }
}
