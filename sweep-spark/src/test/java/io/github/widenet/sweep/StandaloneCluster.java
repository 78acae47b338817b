package io.github.widenet.sweep;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Spark standalone cluster on 127.0.0.1 for tests: a master and one worker, each a child JVM started from Spark's own
 * main classes with this JVM's class path; the worker's executors get it through spark.executor.extraClassPath (the
 * sweep's default for cluster masters). SPARK_HOME is an empty directory (Spark's launcher insists on its jars/).
 */
final class StandaloneCluster implements AutoCloseable {

    /** The module openings Spark 3.5 needs on Java 17 (as in the pom's argLine and the launcher). */
    static final List<String> OPENS = List.of("java.lang", "java.lang.invoke", "java.lang.reflect", "java.io",
            "java.net", "java.nio", "java.util", "java.util.concurrent", "java.util.concurrent.atomic", "sun.nio.ch",
            "sun.nio.cs", "sun.security.action", "sun.util.calendar");

    private final Path dir;
    private final int port;
    private final Process master;
    private final Process worker;

    private StandaloneCluster(Path dir, int port, Process master, Process worker) {
        this.dir = dir;
        this.port = port;
        this.master = master;
        this.worker = worker;
    }

    /** Starts a master and a worker with {@code cores} cores and waits until the worker has registered. */
    static StandaloneCluster start(Path dir, int cores, Duration timeout) throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("spark-home/jars"));
        int port = freePort();
        Process master = jvm(dir, "master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                "--port", String.valueOf(port), "--webui-port", "0");
        Process worker = null;
        try {
            worker = jvm(dir, "worker", "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                    "--cores", String.valueOf(cores), "--memory", "3g", "--webui-port", "0",
                    "--work-dir", dir.resolve("work").toString(), "spark://127.0.0.1:" + port);
            StandaloneCluster c = new StandaloneCluster(dir, port, master, worker);
            c.awaitLog("worker.log", "Successfully registered with master", timeout);
            return c;
        } catch (IOException | InterruptedException | RuntimeException e) {
            master.destroyForcibly();
            if (worker != null) {
                worker.destroyForcibly();
            }
            throw e;
        }
    }

    String url() {
        return "spark://127.0.0.1:" + port;
    }

    /** The worker's work directory: one folder per application, one per executor, with its stdout and stderr. */
    Path workDir() {
        return dir.resolve("work");
    }

    /** The executor JVMs the worker runs now (its only child processes). */
    List<ProcessHandle> executors() {
        return worker.children().filter(ProcessHandle::isAlive).toList();
    }

    private static Process jvm(Path dir, String name, String main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dorg.slf4j.simpleLogger.log.org.apache.spark=info"));   // for awaitLog
        OPENS.forEach(p -> cmd.add("--add-opens=java.base/" + p + "=ALL-UNNAMED"));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", dir.resolve("spark-home").toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }

    private void awaitLog(String log, String text, Duration timeout) throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        Path file = dir.resolve(log);
        while (System.nanoTime() < end) {
            if (Files.exists(file) && Files.readString(file).contains(text)) {
                return;
            }
            if (!master.isAlive() || !worker.isAlive()) {
                throw new IllegalStateException("the Spark " + (master.isAlive() ? "worker" : "master")
                        + " exited; see " + dir);
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("no '" + text + "' in " + file + " after " + timeout);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Stops the worker (and its executors) and the master. */
    @Override
    public void close() throws InterruptedException {
        for (Process p : List.of(worker, master)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor();
        }
    }
}
