package io.github.widenet.bench;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Times training steps (one {@code fit(DataSet)} per minibatch, cycling through given batches). Configurations that are
 * compared are measured interleaved — a short timed slice of each in turn, repeated over several rounds — and each gets
 * the median of its slices, so a machine whose speed drifts (shared or throttled CPUs) does not favour whichever ran first.
 */
public final class StepTimer {

    private StepTimer() {
    }

    /** A network, the batches it is timed on and its training step (by default {@code fit(batch)}). */
    public record Case(Model net, List<DataSet> batches, Consumer<DataSet> step) {
        public Case(Model net, List<DataSet> batches) {
            this(net, batches, batch -> fit(net, batch));
        }
    }

    /** Mean seconds per training step over at least {@code minSteps} steps and about {@code seconds} of work. */
    public static double secondsPerStep(Model net, List<DataSet> batches, int warmup, int minSteps, double seconds) {
        Case c = new Case(net, batches);
        for (int i = 0; i < warmup; i++) {
            c.step().accept(batches.get(i % batches.size()));
        }
        return slice(c, minSteps, seconds);
    }

    /**
     * Median seconds per step of each case, measured in {@code rounds} interleaved slices of about
     * {@code secondsPerSlice} (at least 3 steps) after warming every case up.
     */
    public static Map<String, Double> interleaved(Map<String, Case> cases, int rounds, double secondsPerSlice) {
        for (Case c : cases.values()) {
            for (int i = 0; i < 2 * c.batches().size() + 2; i++) {
                c.step().accept(c.batches().get(i % c.batches().size()));
            }
        }
        Map<String, List<Double>> samples = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            for (Map.Entry<String, Case> e : cases.entrySet()) {
                samples.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                        .add(slice(e.getValue(), 3, secondsPerSlice));
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<Double>> e : samples.entrySet()) {
            double[] v = e.getValue().stream().mapToDouble(Double::doubleValue).toArray();
            Arrays.sort(v);
            out.put(e.getKey(), v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2);
        }
        return out;
    }

    private static double slice(Case c, int minSteps, double seconds) {
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        int steps = 0;
        while (steps < minSteps || System.nanoTime() < deadline) {
            c.step().accept(c.batches().get(steps % c.batches().size()));
            steps++;
        }
        return (System.nanoTime() - start) / 1e9 / steps;
    }

    private static void fit(Model net, DataSet batch) {
        if (net instanceof MultiLayerNetwork) {
            ((MultiLayerNetwork) net).fit(batch);
        } else if (net instanceof ComputationGraph) {
            ((ComputationGraph) net).fit(batch);
        } else {
            throw new IllegalArgumentException("Cannot time " + net.getClass().getName());
        }
    }
}
