package io.github.widenet.sweep;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code ./widenet sweep <experiment> [experiment options] --master URL}: runs an experiment with its tasks as Apache
 * Spark tasks (see {@link SparkTaskRunner}) and its usual checks, resume, report and exit codes. Spark starts only when
 * there are tasks to run, so option errors and finished runs cost no Spark start. Exit codes as the experiment's
 * (0 done, 1 data/file error or failed task, 2 invalid option, 4 training diverged).
 */
public final class Sweep {

    private Sweep() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    /** Runs a sweep, writing progress to {@code out} and errors (one line each) to {@code err}; returns the exit code. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        SweepOptions options;
        try {
            options = SweepOptions.parse(args);
            if (options.help()) {
                out.println(SweepOptions.usage());
                return 0;
            }
            SweepConf.master(options);
        } catch (IllegalArgumentException e) {
            err.println("sweep: " + e.getMessage());
            return 2;
        }
        io.github.widenet.train.Sweepable experiment = options.experiment();
        experiment.configureNatives();
        // Spark's configuration is made when the first task runs: Spark logs on first use, after the option checks
        Supplier<SparkConf> conf = () -> SweepConf.of(options, System.getenv(), System.getProperty("java.class.path"),
                out);
        try (LazySpark spark = new LazySpark(conf)) {
            CommandLine cmd = experiment.commandLine(new SparkTaskRunner(spark, SweepTask.of(experiment.name()), out),
                    out);
            cmd.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
            cmd.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
            return cmd.execute(options.experimentArgs().toArray(String[]::new));
        }
    }

    /**
     * A Spark context started on first use (after checking that a standalone master is reachable, {@link MasterProbe})
     * and stopped on close.
     */
    static final class LazySpark implements Supplier<JavaSparkContext>, AutoCloseable {
        private final Supplier<SparkConf> conf;
        private JavaSparkContext context;

        LazySpark(SparkConf conf) {
            this(() -> conf);
        }

        LazySpark(Supplier<SparkConf> conf) {
            this.conf = conf;
        }

        @Override
        public synchronized JavaSparkContext get() {
            if (context == null) {
                SparkConf c = conf.get();
                MasterProbe.check(new MasterUrl(c.get("spark.master")));
                context = new JavaSparkContext(c);
                context.setLogLevel("WARN");
            }
            return context;
        }

        @Override
        public synchronized void close() {
            if (context != null) {
                context.close();
                context = null;
            }
        }
    }
}
