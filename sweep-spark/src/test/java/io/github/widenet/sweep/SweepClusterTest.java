package io.github.widenet.sweep;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sweep on a standalone Spark cluster (master and worker in child JVMs on 127.0.0.1): its executor is killed while it
 * trains, Spark starts another and retries the lost tasks, which resume from their unit checkpoints; the sweep finishes
 * with the numbers of the sequential run.
 */
class SweepClusterTest {

    private static final int STEPS = 300;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void killedExecutorIsReplacedAndItsTasksResume(@TempDir Path tmp) throws Exception {
        io.github.widenet.train.Sweepable.named("mnist").configureNatives();
        Path data = TinyMnist.data(tmp);
        assertEquals(0, TinyMnist.sequential(TinyMnist.options(data, tmp.resolve("seq"), STEPS)).code());

        Path run = tmp.resolve("run");
        try (StandaloneCluster cluster = StandaloneCluster.start(tmp.resolve("cluster"), 2, Duration.ofSeconds(60))) {
            AtomicInteger killed = new AtomicInteger();
            Thread killer = new Thread(() -> killOnceCheckpointed(cluster, run.resolve("checkpoints"), killed),
                    "executor-killer");
            killer.setDaemon(true);
            killer.start();
            TinyMnist.Outcome o = TinyMnist.sweep(TinyMnist.options(data, run, STEPS, "--checkpoint-minutes", "0"),
                    "--master", cluster.url(), "--conf", "spark.driver.host=127.0.0.1",
                    "--conf", "spark.ui.enabled=false", "--conf", "spark.executor.memory=1g",
                    // Spark gives executors OMP_NUM_THREADS = spark.task.cpus (1); ND4J's results depend on its
                    // thread count, so the executors get this JVM's for numbers equal to the sequential run
                    "--conf", "spark.executorEnv.OMP_NUM_THREADS=" + ompThreads());
            killer.join(10_000);
            assertEquals(0, o.code(), o.err() + o.out());
            assertEquals(1, killed.get(), "one executor killed mid-task; " + o.out());
            String executorLogs = executorStdout(cluster.workDir());
            assertTrue(executorLogs.contains(": resuming at step "), executorLogs);
        }
        TinyMnist.assertSameResults(tmp.resolve("seq"), run);
    }

    private static int ompThreads() {
        return org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
    }

    /** Waits until a unit has a checkpoint (it is mid-training), then kills the executor running it. */
    private static void killOnceCheckpointed(StandaloneCluster cluster, Path checkpoints, AtomicInteger killed) {
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (System.nanoTime() < end) {
                boolean midTraining;
                try (Stream<Path> s = Files.exists(checkpoints) ? Files.list(checkpoints) : Stream.empty()) {
                    midTraining = s.anyMatch(p -> p.getFileName().toString().endsWith(".zip")
                            && !p.getFileName().toString().startsWith("."));
                }
                List<ProcessHandle> executors = cluster.executors();
                if (midTraining && !executors.isEmpty()) {
                    executors.forEach(ProcessHandle::destroyForcibly);
                    killed.addAndGet(executors.size());
                    return;
                }
                Thread.sleep(50);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String executorStdout(Path workDir) throws Exception {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> s = Files.walk(workDir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().equals("stdout")).toList()) {
                sb.append(Files.readString(p));
            }
        }
        return sb.toString();
    }
}
