package io.github.widenet.sweep;

import io.github.widenet.train.TrainingStoppedException;
import io.github.widenet.train.UnitRunner;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Runs an experiment's units as Spark tasks, one task (partition) per unit, each calling the experiment's own unit code
 * through a {@link UnitTask}. Spark retries a failed or lost task (up to spark.task.maxFailures, or local[N,F]); the
 * retry resumes from the unit's checkpoint in the run directory. A unit that still fails ends the sweep with its cause.
 */
public final class SparkUnitRunner implements UnitRunner {

    private final Supplier<JavaSparkContext> spark;
    private final UnitTask task;
    private final PrintStream log;

    /** @param spark the context, started when the first units are run */
    public SparkUnitRunner(Supplier<JavaSparkContext> spark, UnitTask task, PrintStream log) {
        this.spark = spark;
        this.task = task;
        this.log = log;
    }

    @Override
    public void runAll(List<String> experimentArgs, List<String> units) throws IOException {
        List<String> args = new ArrayList<>(experimentArgs);
        UnitTask unitTask = task;                // locals only: the closure must not capture this runner
        JavaSparkContext sc = spark.get();
        log.printf(Locale.ROOT, "Sweep: %d units as Spark tasks on %s (%d task slots now)%n", units.size(),
                sc.master(), sc.defaultParallelism());
        long start = System.nanoTime();
        sc.setJobDescription("units " + String.join(", ", units));
        try {
            sc.parallelize(units, units.size()).foreach(unit -> unitTask.run(args, unit));
        } catch (Exception e) {                  // Spark's SparkException is checked but undeclared in Java
            throw failure(e);
        }
        log.printf(Locale.ROOT, "Sweep: %d units done in %.1f s%n", units.size(), (System.nanoTime() - start) / 1e9);
    }

    /**
     * The failure to report for a failed Spark job: a divergence as such (exit code 4), else an {@link IOException}
     * with Spark's one-line reason, which names the unit's task and its cause.
     */
    static IOException failure(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TrainingStoppedException stopped) {
                throw stopped;
            }
        }
        if (e instanceof RuntimeException r && !(e instanceof SparkException)) {
            throw r;                             // not a task failure: a bug on the driver, keep its stack trace
        }
        String msg = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        return new IOException("a unit's Spark task failed: " + msg, e);
    }
}
