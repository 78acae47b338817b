package io.github.widenet.train;

import java.io.IOException;
import java.util.List;

/**
 * Runs an experiment's pending tasks (an MNIST scaling × width, a CIFAR mode) outside the experiment's own loop,
 * e.g. as Apache Spark tasks. Each task runs the experiment's own task code in some JVM that sees the run directory, and
 * records its result in the run's {@link CheckpointStore} (resuming from the task's checkpoint if it was interrupted);
 * when {@link #runAll} returns, the experiment assembles its outputs exactly as after a sequential run.
 */
@FunctionalInterface
public interface TaskRunner {

    /**
     * Runs every task in {@code tasks} to completion, or throws.
     *
     * @param experimentArgs the experiment's options for a worker: everything that determines the numbers, the data and
     *                       the run directory, with absolute paths
     * @param tasks          names of the tasks not yet finished, in the order of the sequential run
     */
    void runAll(List<String> experimentArgs, List<String> tasks) throws IOException;

    /**
     * Options as command-line arguments for a worker: {@code --name value} per entry, lists joined by commas, a
     * {@code Boolean} as a bare flag when true (left out when false), a {@code Path} made absolute (a worker's working
     * directory is another); null values are left out.
     */
    static List<String> asArgs(java.util.Map<String, ?> options) {
        List<String> a = new java.util.ArrayList<>();
        options.forEach((name, value) -> {
            if (value == null) {
                return;
            }
            if (value instanceof Boolean b) {
                if (b) {
                    a.add(name);
                }
            } else if (value instanceof java.util.Map<?, ?> map) {
                if (!map.isEmpty()) {
                    a.add(name);
                    a.add(String.join(",", map.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                            .toList()));
                }
            } else if (value instanceof java.nio.file.Path p) {
                a.add(name);
                a.add(p.toAbsolutePath().normalize().toString());
            } else {
                a.add(name);
                a.add(value instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList())
                        : String.valueOf(value));
            }
        });
        return a;
    }
}
