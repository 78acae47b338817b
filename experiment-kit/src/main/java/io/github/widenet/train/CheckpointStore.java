package io.github.widenet.train;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Checkpoints of a resumable run in a directory. A checkpoint is one zip holding the network (configuration JSON and the
 * raw bytes of its parameters and updater state, {@link RawModelFile}; ModelSerializer zips of earlier runs still load)
 * and a JSON state map (step counters, RNG positions, partial results); it is written to a
 * temporary file and atomically renamed, so a run killed mid-write keeps its previous checkpoint. Finished tasks
 * (a width, a training mode) are recorded as small JSON results so a resumed run skips them.
 * <pre>{@code
 * CheckpointStore store = new CheckpointStore(outDir.resolve("checkpoints"), Duration.ofMinutes(5));
 * if (store.isDone("m=1000")) { ... } else if (store.due()) store.save("m=1000", net, Map.of("step", step));
 * }</pre>
 */
public final class CheckpointStore {

    private static final String STATE_KEY = "widenet-state.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final long intervalNanos;
    private final LongSupplier clock;
    private long lastSave;

    public CheckpointStore(Path dir, java.time.Duration interval) {
        this(dir, interval, System::nanoTime);
    }

    public CheckpointStore(Path dir, java.time.Duration interval, LongSupplier nanoClock) {
        this.dir = dir;
        this.intervalNanos = interval.toNanos();
        this.clock = nanoClock;
        this.lastSave = nanoClock.getAsLong();
    }

    /** A restored checkpoint: the network and the state saved with it. */
    public record Checkpoint(Model model, Map<String, Object> state) {
        public MultiLayerNetwork multiLayerNetwork() {
            return (MultiLayerNetwork) model;
        }

        public ComputationGraph computationGraph() {
            return (ComputationGraph) model;
        }

        public long getLong(String key) {
            Object v = state.get(key);
            if (!(v instanceof Number)) {
                throw new IllegalStateException("checkpoint state has no number '" + key + "': " + state);
            }
            return ((Number) v).longValue();
        }
    }

    public Path directory() {
        return dir;
    }

    /** Whether the save interval has elapsed since the last save (or since this store was created). */
    public boolean due() {
        return clock.getAsLong() - lastSave >= intervalNanos;
    }

    /** Saves {@code net} (with updater state) and {@code state} as checkpoint {@code name}, atomically. */
    public void save(String name, Model net, Map<String, ?> state) throws IOException {
        Map<String, Object> full = new LinkedHashMap<>(state);
        full.put("modelType", net instanceof ComputationGraph ? "ComputationGraph" : "MultiLayerNetwork");
        String json = JSON.writeValueAsString(full);
        AtomicFile.write(modelFile(name), out -> RawModelFile.write(net, Map.of(STATE_KEY, json), out));
        lastSave = clock.getAsLong();
    }

    /** The checkpoint {@code name}, or empty when there is none. */
    public Optional<Checkpoint> load(String name) throws IOException {
        Path file = modelFile(name);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        File f = file.toFile();
        boolean raw;
        String json;
        try {
            raw = RawModelFile.isRawModel(f);
            json = raw ? RawModelFile.text(f, STATE_KEY) : ModelSerializer.getObjectFromFile(f, STATE_KEY);
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": not a widenet checkpoint (" + e.getMessage() + ")", e);
        }
        if (json == null) {
            throw new IOException(file + ": not a widenet checkpoint (no " + STATE_KEY + " entry)");
        }
        Map<String, Object> state = JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {
        });
        Model model;
        if (raw) {
            model = RawModelFile.read(f);
        } else {                                     // checkpoints written before the raw format
            model = "ComputationGraph".equals(state.get("modelType"))
                    ? ModelSerializer.restoreComputationGraph(f, true)
                    : ModelSerializer.restoreMultiLayerNetwork(f, true);
        }
        return Optional.of(new Checkpoint(model, state));
    }

    /** Removes checkpoint {@code name} (e.g. once its task is done). */
    public void delete(String name) throws IOException {
        Files.deleteIfExists(modelFile(name));
    }

    /** Records the result of a finished task, atomically. */
    public void markDone(String task, Object result) throws IOException {
        AtomicFile.writeString(resultFile(task), JSON.writeValueAsString(result));
    }

    public boolean isDone(String task) {
        return Files.isRegularFile(resultFile(task));
    }

    /** The recorded result of a finished task, read as {@code type}. */
    public <T> Optional<T> result(String task, Class<T> type) throws IOException {
        Path f = resultFile(task);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            T value = JSON.readValue(f.toFile(), type);
            if (value == null) {
                throw new IOException("empty JSON value");
            }
            return Optional.of(value);
        } catch (IOException | RuntimeException e) {
            throw new IOException(f + ": not a readable result of a finished task (" + e.getMessage().lines()
                    .findFirst().orElse("") + "); delete it to train the task '" + task + "' again", e);
        }
    }

    private Path modelFile(String name) {
        return dir.resolve(safe(name) + ".zip");
    }

    /** The file recording the result of a finished task ({@code done-<task>.json}). */
    public Path resultFile(String task) {
        return dir.resolve("done-" + safe(task) + ".json");
    }

    /** File-name-safe form of a task or checkpoint name. */
    static String safe(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty checkpoint name");
        }
        return name.replaceAll("[^A-Za-z0-9._=-]", "_");
    }
}
