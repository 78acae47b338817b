package io.github.widenet.sweep;

import org.apache.spark.SparkConf;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * The Spark configuration of a sweep: spark-submit's settings (spark.* system properties), then --conf, then --master
 * (default local[1]). Local masters stay on the loopback interface without the web UI. Executors get the driver's
 * OMP_WAIT_POLICY (PASSIVE unless set), OPENBLAS_CORETYPE and OMP_NUM_THREADS. For a cluster master without spark.jars
 * or spark.executor.extraClassPath (i.e. not spark-submit), executors are given this JVM's class path, which says so.
 */
final class SweepConf {

    /** Environment variables that change ND4J's speed on an executor, passed on from the driver. */
    static final List<String> EXECUTOR_ENV = List.of("OMP_WAIT_POLICY", "OPENBLAS_CORETYPE", "OMP_NUM_THREADS");

    private SweepConf() {
    }

    /** The master the sweep will use (--master, else --conf spark.master, else the default), checked. */
    static MasterUrl master(SweepOptions options) {
        return options.master().orElseGet(() -> new MasterUrl(options.conf().getOrDefault("spark.master",
                MasterUrl.DEFAULT)));
    }

    static SparkConf of(SweepOptions options, Map<String, String> env, String driverClassPath, PrintStream log) {
        SparkConf conf = new SparkConf();
        options.conf().forEach(conf::set);
        if (options.master().isPresent()) {
            conf.setMaster(options.master().get().url());
        } else if (!conf.contains("spark.master")) {
            conf.setMaster(MasterUrl.DEFAULT);
        }
        MasterUrl master = new MasterUrl(conf.get("spark.master"));
        conf.setIfMissing("spark.app.name", "widenet sweep " + options.experiment().name());
        if (master.local()) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.ui.enabled", "false");
        } else if (!conf.contains("spark.jars") && !conf.contains("spark.executor.extraClassPath")) {
            conf.set("spark.executor.extraClassPath", driverClassPath);
            log.println("Sweep: executors use this JVM's class path (spark.executor.extraClassPath), so its jars must "
                    + "exist at the same paths on every worker; otherwise pass --conf spark.jars=<the shaded jar> or "
                    + "use spark-submit");
        }
        for (String v : EXECUTOR_ENV) {
            if (env.containsKey(v)) {
                conf.setIfMissing("spark.executorEnv." + v, env.get(v));
            }
        }
        conf.setIfMissing("spark.executorEnv.OMP_WAIT_POLICY", "PASSIVE");
        return conf;
    }
}
