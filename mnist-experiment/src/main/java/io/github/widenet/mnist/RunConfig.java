package io.github.widenet.mnist;

import org.nd4j.linalg.activations.Activation;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Everything that determines the numbers of an MNIST run (what a resumed run must share with the original).
 *
 * @param snapshots number of recorded snapshots, evenly spread over [0, steps] (at least 2: init and end)
 */
public record RunConfig(List<Integer> widths, List<Scaling> scalings, Activation activation, long steps,
                        int batchSize, double eta, int snapshots, long seed, int bins, int trainSubset,
                        int testSubset, Duration checkpointInterval) {

    public RunConfig {
        if (widths.isEmpty() || scalings.isEmpty()) {
            throw new IllegalArgumentException("need at least one width and one scaling");
        }
        for (int m : widths) {
            if (m < 1) {
                throw new IllegalArgumentException("widths must be >= 1, got " + m);
            }
        }
        if (steps < 1 || batchSize < 1 || !(eta > 0) || snapshots < 2 || bins < 2) {
            throw new IllegalArgumentException("need steps >= 1, batch size >= 1, eta > 0, snapshots >= 2, bins >= 2; got "
                    + steps + ", " + batchSize + ", " + eta + ", " + snapshots + ", " + bins);
        }
        widths = List.copyOf(new TreeSet<>(widths));
        scalings = List.copyOf(scalings);
    }

    /** The steps at which unit snapshots are taken: round(i·steps/(snapshots−1)), i = 0..snapshots−1. */
    public List<Long> snapshotSteps() {
        TreeSet<Long> s = new TreeSet<>();
        for (int i = 0; i < snapshots; i++) {
            s.add(Math.round(i * (double) steps / (snapshots - 1)));
        }
        return List.copyOf(s);
    }

    /** The same run with another seed. */
    public RunConfig withSeed(long other) {
        return new RunConfig(widths, scalings, activation, steps, batchSize, eta, snapshots, other, bins, trainSubset,
                testSubset, checkpointInterval);
    }

    public int largestWidth() {
        return widths.get(widths.size() - 1);
    }

    /** For manifests. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("widths", widths);
        m.put("scalings", scalings.stream().map(Scaling::label).toList());
        m.put("activation", activation.name().toLowerCase());
        m.put("steps", steps);
        m.put("batchSize", batchSize);
        m.put("eta", eta);
        m.put("meanFieldStep", "eta * m");
        m.put("snapshotSteps", snapshotSteps());
        m.put("seed", seed);
        m.put("bins", bins);
        m.put("trainSubset", trainSubset);
        m.put("testSubset", testSubset);
        m.put("checkpointIntervalSeconds", checkpointInterval.toSeconds());
        return m;
    }
}
