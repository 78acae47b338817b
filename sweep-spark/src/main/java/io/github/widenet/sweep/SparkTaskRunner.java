package io.github.widenet.sweep;

import io.github.widenet.train.TrainingStoppedException;
import io.github.widenet.train.TaskRunner;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Runs an experiment's tasks as Spark tasks, one partition each, every one calling the experiment's own task code
 * through a {@link SweepTask}. Spark retries a failed or lost task (up to spark.task.maxFailures, or local[N,F]); the
 * retry resumes from the task's checkpoint in the run directory. A task that still fails ends the sweep with its cause.
 */
public final class SparkTaskRunner implements TaskRunner {

    private final Supplier<JavaSparkContext> spark;
    private final SweepTask task;
    private final PrintStream log;

    /** @param spark the context, started when the first tasks are run */
    public SparkTaskRunner(Supplier<JavaSparkContext> spark, SweepTask task, PrintStream log) {
        this.spark = spark;
        this.task = task;
        this.log = log;
    }

    @Override
    public void runAll(List<String> experimentArgs, List<String> tasks) throws IOException {
        List<String> args = new ArrayList<>(experimentArgs);
        SweepTask sweepTask = task;                // locals only: the closure must not capture this runner
        JavaSparkContext sc = spark.get();
        log.printf(Locale.ROOT, "Sweep: %d tasks as Spark tasks on %s (%d task slots now)%n", tasks.size(),
                sc.master(), sc.defaultParallelism());
        long start = System.nanoTime();
        sc.setJobDescription("tasks " + String.join(", ", tasks));
        try {
            sc.parallelize(tasks, tasks.size()).foreach(task -> sweepTask.run(args, task));
        } catch (Exception e) {                  // Spark's SparkException is checked but undeclared in Java
            throw failure(e);
        }
        log.printf(Locale.ROOT, "Sweep: %d tasks done in %.1f s%n", tasks.size(), (System.nanoTime() - start) / 1e9);
    }

    /**
     * The failure to report for a failed Spark job: a divergence as such (exit code 4), else an {@link IOException}
     * with Spark's one-line reason, which names the task and its cause.
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
        return new IOException("a task's Spark task failed: " + msg, e);
    }
}
