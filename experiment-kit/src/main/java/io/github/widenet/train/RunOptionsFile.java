package io.github.widenet.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@value #FILE} in a run's output directory: the options that determine the run's numbers (keyed by option name, e.g.
 * {@code --eta}) and the identity of its data, saved when the run starts. A resumed run must present the same values;
 * any difference is refused with a one-line message naming each option and both values, so a resumed run can never mix
 * two configurations or relabel old numbers. Options that do not change the numbers (checkpoint interval, output
 * folder, progress) are simply not recorded.
 */
public final class RunOptionsFile {

    public static final String FILE = "run-options.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RunOptionsFile() {
    }

    /** Writes the options and the data identity (atomically). */
    public static void write(Path runDir, Map<String, ?> options, Map<String, ?> data) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.set("options", canonical(options));
        root.set("data", canonical(data));
        AtomicFile.writeString(runDir.resolve(FILE), JSON.writeValueAsString(root) + "\n");
    }

    /** Whether {@code runDir} (or a part of it, {@code seed-<s>/}) holds checkpoints or finished units of a run. */
    public static boolean hasCheckpoints(Path runDir) throws IOException {
        for (Path part : RunDirectory.runParts(runDir)) {          // a multi-seed run keeps them in seed-<s>/
            Path c = part.resolve("checkpoints");
            if (Files.isDirectory(c)) {
                try (var s = Files.list(c)) {
                    if (s.findAny().isPresent()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * The check a resumed run makes before reading data: the saved options must match; a run with checkpoints but no
     * saved options cannot be verified and is refused. Returns the saved content (empty for a fresh directory).
     */
    public static Optional<JsonNode> checkResume(Path runDir, Map<String, ?> options) throws IOException {
        Optional<JsonNode> saved = read(runDir);
        if (saved.isPresent()) {
            checkOptions(runDir, saved.get(), options);
        } else if (hasCheckpoints(runDir)) {
            throw new IllegalArgumentException("--resume: " + runDir + " holds checkpoints but no " + FILE
                    + " (started by an older version?), so its options cannot be verified; start a new run");
        }
        return saved;
    }

    /** The saved file's content, or empty when there is none; an unreadable file is an error naming it. */
    public static Optional<JsonNode> read(Path runDir) throws IOException {
        Path f = runDir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            JsonNode root = JSON.readTree(f.toFile());
            if (root == null || !root.path("options").isObject()) {
                throw new IOException("no \"options\" object");
            }
            return Optional.of(root);
        } catch (IOException | RuntimeException e) {
            throw new IOException(f + ": unreadable run options (" + e.getMessage().lines().findFirst().orElse("")
                    + "); the run cannot be resumed safely, start a new one", e);
        }
    }

    /**
     * Throws an {@link IllegalArgumentException} naming every option whose value differs from the saved run's:
     * "--resume: the run in DIR was started with other options: --eta 0.5 (now 5.0); --seed 1 (now 7). ...".
     */
    public static void checkOptions(Path runDir, JsonNode saved, Map<String, ?> options) {
        List<String> diffs = differences(saved.path("options"), canonical(options));
        if (!diffs.isEmpty()) {
            throw new IllegalArgumentException("--resume: the run in " + runDir + " was started with other options: "
                    + String.join("; ", diffs) + ". Resume with the original values, or start a new run (another "
                    + "--out, or --overwrite)");
        }
    }

    /** As {@link #checkOptions} for the data identity (checksums and sizes). */
    public static void checkData(Path runDir, JsonNode saved, Map<String, ?> data) {
        List<String> diffs = differences(saved.path("data"), canonical(data));
        if (!diffs.isEmpty()) {
            throw new IllegalArgumentException("--resume: the run in " + runDir + " was started on other data: "
                    + String.join("; ", diffs) + ". Point --data-dir at the original data, or start a new run");
        }
    }

    private static List<String> differences(JsonNode saved, JsonNode now) {
        Set<String> keys = new LinkedHashSet<>();
        saved.fieldNames().forEachRemaining(keys::add);
        now.fieldNames().forEachRemaining(keys::add);
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            JsonNode a = saved.get(k);
            JsonNode b = now.get(k);
            if (a == null || b == null || !a.equals(b)) {
                out.add(k + " " + text(a) + " (now " + text(b) + ")");
            }
        }
        return out;
    }

    private static String text(JsonNode n) {
        if (n == null) {
            return "(not recorded)";
        }
        return n.isTextual() ? n.asText() : n.toString();
    }

    /** The JSON tree exactly as it would be read back from the file (so numbers compare by their written form). */
    private static JsonNode canonical(Map<String, ?> values) {
        try {
            return JSON.readTree(JSON.writeValueAsString(values));
        } catch (IOException e) {
            throw new IllegalArgumentException("options are not JSON-able: " + values, e);
        }
    }
}
