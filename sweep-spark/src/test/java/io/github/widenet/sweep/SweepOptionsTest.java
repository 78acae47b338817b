package io.github.widenet.sweep;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sweep's own options, master URLs and Spark settings, without starting Spark. */
class SweepOptionsTest {

    @Test
    void sweepOptionsAreTakenOutAndTheRestGoesToTheExperiment() {
        SweepOptions o = SweepOptions.parse(List.of("mnist", "--widths", "10,20", "--master=local[4,3]", "--steps",
                "5", "--conf", "spark.executor.cores=1", "--out", "x"));
        assertEquals("mnist", o.experiment().name());
        assertEquals("local[4,3]", o.master().orElseThrow().url());
        assertEquals(Map.of("spark.executor.cores", "1"), o.conf());
        assertEquals(List.of("--widths", "10,20", "--steps", "5", "--out", "x"), o.experimentArgs());
        assertEquals("cifar", SweepOptions.parse(List.of("cifar")).experiment().name());
        assertEquals("pde", SweepOptions.parse(List.of("pde")).experiment().name());
        assertTrue(SweepOptions.parse(List.of("--help")).help());
    }

    @Test
    void masterUrlsAreChecked() {
        for (String ok : List.of("local", "local[1]", "local[*]", "local[2,4]", "local[*,3]", "spark://127.0.0.1:7077",
                "spark://a:7077,b:7077", "yarn", "k8s://https://h:6443")) {
            assertEquals(ok, new MasterUrl(ok).url());
        }
        for (String bad : List.of("", "local[0]", "local[two]", "local[2", "lokal[2]", "spark://host", "http://h:7077",
                "k8s://")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MasterUrl(bad));
            assertTrue(e.getMessage().startsWith("--master: '" + bad + "' is not a Spark master URL"), e.getMessage());
        }
        assertTrue(new MasterUrl("local[2]").local());
        assertFalse(new MasterUrl("spark://h:7077").local());
    }

    @Test
    void badSweepOptionsNameTheOption() {
        assertThrows(IllegalArgumentException.class, () -> SweepOptions.parse(List.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SweepOptions.parse(List.of("mnist", "--conf", "x=1")));
        assertTrue(e.getMessage().startsWith("--conf: expected spark.<key>=<value>, got 'x=1'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SweepOptions.parse(List.of("mnist", "--conf")));
        assertEquals("--conf: missing value", e.getMessage());
    }

    @Test
    void localMastersStayOnLoopbackAndClusterExecutorsGetTheClassPath() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
        SparkConf local = SweepConf.of(SweepOptions.parse(List.of("mnist")), Map.of("OPENBLAS_CORETYPE", "SkylakeX"),
                "a.jar", out);
        assertEquals(MasterUrl.DEFAULT, local.get("spark.master"));
        assertEquals("127.0.0.1", local.get("spark.driver.host"));
        assertEquals("false", local.get("spark.ui.enabled"));
        assertEquals("SkylakeX", local.get("spark.executorEnv.OPENBLAS_CORETYPE"));
        assertEquals("PASSIVE", local.get("spark.executorEnv.OMP_WAIT_POLICY"));
        assertFalse(local.contains("spark.executor.extraClassPath"));

        SparkConf cluster = SweepConf.of(SweepOptions.parse(List.of("mnist", "--master", "spark://h:7077")), Map.of(),
                "a.jar:b.jar", out);
        assertEquals("a.jar:b.jar", cluster.get("spark.executor.extraClassPath"));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("spark.executor.extraClassPath"));
        SparkConf jars = SweepConf.of(SweepOptions.parse(List.of("mnist", "--master", "spark://h:7077", "--conf",
                "spark.jars=all.jar")), Map.of(), "a.jar", out);
        assertFalse(jars.contains("spark.executor.extraClassPath"));
    }
}
