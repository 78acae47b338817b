package io.github.widenet.bench;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

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
        Map<String, Double> out = new LinkedHashMap<>();
        interleavedSlices(cases, rounds, secondsPerSlice).forEach((k, v) -> out.put(k, median(v)));
        return out;
    }

    /**
     * Each case's seconds per step in every round (index = round), measured as {@link #interleaved}: the slices of one
     * round are adjacent in time, so {@link #medianRatio} of two cases cancels the machine's drift between rounds.
     */
    public static Map<String, double[]> interleavedSlices(Map<String, Case> cases, int rounds, double secondsPerSlice) {
        for (Case c : cases.values()) {
            for (int i = 0; i < 2 * c.batches().size() + 2; i++) {
                c.step().accept(c.batches().get(i % c.batches().size()));
            }
        }
        Map<String, double[]> samples = new LinkedHashMap<>();
        cases.keySet().forEach(k -> samples.put(k, new double[rounds]));
        for (int r = 0; r < rounds; r++) {
            for (Map.Entry<String, Case> e : cases.entrySet()) {
                samples.get(e.getKey())[r] = slice(e.getValue(), 3, secondsPerSlice);
            }
        }
        return samples;
    }

    /** The median over rounds of {@code a[r] / b[r]} (slices of two cases from {@link #interleavedSlices}). */
    public static double medianRatio(double[] a, double[] b) {
        if (a.length != b.length || a.length == 0) {
            throw new IllegalArgumentException("need the same, non-zero number of rounds, got " + a.length + " and "
                    + b.length);
        }
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] / b[i];
        }
        return median(r);
    }

    /** The median of the values (mean of the middle two for an even count). */
    public static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
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
