package io.github.widenet.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code manifest.json} of a run: what was run (options, seed), on what (versions, machine, data source), and how
 * long it took, so a result can be traced and reproduced.
 */
public final class RunManifest {

    private final Map<String, Object> root = new LinkedHashMap<>();
    private final Instant start;

    public RunManifest(String experiment, Map<String, ?> options, long seed) {
        this.start = Instant.now();
        root.put("experiment", experiment);
        root.put("options", new LinkedHashMap<>(options));
        root.put("seed", seed);
        root.put("versions", versions());
        root.put("machine", machine());
        root.put("start", start.toString());
    }

    /** Records the data source description. */
    public RunManifest data(Object description) {
        root.put("data", description);
        return this;
    }

    /**
     * Measures the machine's limit — ND4J's float32 sgemm rate for 2048 × 2048 matrices, about a second of work — and
     * records it under machine.nd4jSgemm2048Gflops, so that timings in the run can be read against it.
     */
    @SuppressWarnings("unchecked")
    public RunManifest measureSgemm() {
        ((Map<String, Object>) root.get("machine")).put("nd4jSgemm2048Gflops",
                Math.round(io.github.widenet.bench.GemmRate.gflops(2048, 1.0) * 10) / 10.0);
        return this;
    }

    /** Adds any JSON-able value under a key (results, memory figures, ...). */
    public RunManifest put(String key, Object value) {
        root.put(key, value);
        return this;
    }

    /** Stamps the end time and wall time and writes the JSON file. */
    public void write(Path file) throws IOException {
        Instant end = Instant.now();
        root.put("end", end.toString());
        root.put("wallTimeSeconds", Duration.between(start, end).toMillis() / 1000.0);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        io.github.widenet.train.AtomicFile.writeString(file, mapper.writeValueAsString(root) + "\n");
    }

    public Map<String, Object> asMap() {
        return root;
    }

    private static Map<String, Object> versions() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        v.put("dl4j", implementationVersion(org.deeplearning4j.nn.multilayer.MultiLayerNetwork.class, "1.0.0-M2.1"));
        v.put("nd4j", implementationVersion(org.nd4j.linalg.factory.Nd4j.class, "1.0.0-M2.1"));
        v.put("widenet", implementationVersion(RunManifest.class, "0.1.0-SNAPSHOT"));
        String commit = gitCommit();
        if (commit != null) {
            v.put("gitCommit", commit);
        }
        return v;
    }

    private static String implementationVersion(Class<?> c, String fallback) {
        Package p = c.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v == null ? fallback : v;
    }

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20);
        m.put("jvmArgs", ManagementFactory.getRuntimeMXBean().getInputArguments());
        m.put("OMP_WAIT_POLICY", System.getenv().getOrDefault("OMP_WAIT_POLICY", "(unset)"));
        m.put("OPENBLAS_CORETYPE", io.github.widenet.bench.OpenBlasCoreType.setting());
        return m;
    }

    /**
     * HEAD's commit when this JVM first asked (its run started), else null: a manifest written at the end of a long run
     * names the commit the run started from, not one checked out while it ran.
     */
    public static String gitCommit() {
        return CommitAtStart.COMMIT;
    }

    private static final class CommitAtStart {
        static final String COMMIT = readHead();
    }

    /** HEAD's commit when run inside a git checkout, else null (never fails). */
    private static String readHead() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.exitValue() == 0 && out.matches("[0-9a-f]{40}") ? out : null;
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return null;
        }
    }
}
