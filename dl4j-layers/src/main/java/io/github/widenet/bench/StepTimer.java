package io.github.widenet.bench;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

import java.util.List;

/** Times training steps (one {@code fit(DataSet)} per minibatch) after a warm-up, cycling through given batches. */
public final class StepTimer {

    private StepTimer() {
    }

    /** Mean seconds per training step over at least {@code minSteps} steps and about {@code seconds} of work. */
    public static double secondsPerStep(Model net, List<DataSet> batches, int warmup, int minSteps, double seconds) {
        for (int i = 0; i < warmup; i++) {
            fit(net, batches.get(i % batches.size()));
        }
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        int steps = 0;
        while (steps < minSteps || System.nanoTime() < deadline) {
            fit(net, batches.get(steps % batches.size()));
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
