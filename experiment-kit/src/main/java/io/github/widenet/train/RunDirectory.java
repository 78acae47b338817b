package io.github.widenet.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Chooses a run's output directory: the one given with {@code --out}, else a new {@code runs/<name>-<timestamp>} for a
 * fresh run, or the most recent {@code runs/<name>-*} for {@code --resume}. A fresh run refuses a directory that holds
 * another run's checkpoints unless told to overwrite them; {@code --resume} refuses a directory without a run (a
 * mistyped --out must not silently start a new run).
 */
public final class RunDirectory {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private RunDirectory() {
    }

    /**
     * @param out       the --out option, or null
     * @param name      experiment name, e.g. "mnist"
     * @param resume    --resume given
     * @param overwrite --overwrite given
     */
    public static Path choose(Path out, String name, boolean resume, boolean overwrite) throws IOException {
        Path root = Path.of("runs");
        Path dir;
        if (out != null) {
            dir = out;
        } else if (resume) {
            dir = latest(root, name).orElseThrow(() -> new IllegalArgumentException("--resume: no earlier run "
                    + root.resolve(name + "-*") + " to resume; pass --out DIR"));
        } else {
            dir = root.resolve(name + "-" + LocalDateTime.now().format(STAMP));
        }
        boolean previous = false;
        for (Path part : runParts(dir)) {
            Path ckpt = part.resolve("checkpoints");
            previous |= Files.isDirectory(ckpt) && hasEntries(ckpt);
        }
        if (resume && !previous) {
            throw new IllegalArgumentException("--resume: " + dir + " holds no run to resume (no checkpoints or "
                    + "finished units); check --out, or drop --resume to start a new run");
        }
        if (previous && !resume && !overwrite) {
            throw new IllegalArgumentException("--out " + dir + " holds a previous run; use --resume to continue it or "
                    + "--overwrite to start again");
        }
        Files.createDirectories(dir);
        lock(dir);
        if (overwrite) {
            for (Path part : runParts(dir)) {
                deleteTree(part.resolve("checkpoints"));
                deleteTree(part.resolve("snapshots"));
                deleteTree(part.resolve("plots"));
            }
        }
        return dir;
    }

    /**
     * The run directory and its parts that keep checkpoints of their own (a multi-seed run's {@code seed-<s>/}): every
     * immediate subdirectory holding a {@code checkpoints} folder.
     */
    static java.util.List<Path> runParts(Path dir) throws IOException {
        java.util.List<Path> parts = new java.util.ArrayList<>(java.util.List.of(dir));
        if (Files.isDirectory(dir)) {
            try (var children = Files.list(dir)) {
                children.filter(c -> Files.isDirectory(c.resolve("checkpoints"))).sorted().forEach(parts::add);
            }
        }
        return parts;
    }

    /** Locks held by this JVM, by run directory; released when the JVM exits. */
    private static final java.util.Map<Path, java.nio.channels.FileLock> LOCKS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Takes the run directory's lock ({@value #LOCK_FILE}) for the life of this JVM, so that two processes never train
     * into one run directory (both would write the same checkpoints). This JVM may choose the same directory again.
     *
     * @throws IllegalArgumentException when another process holds it
     */
    static synchronized void lock(Path dir) throws IOException {
        Path key = dir.toAbsolutePath().normalize();
        if (LOCKS.containsKey(key)) {
            return;
        }
        java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(key.resolve(LOCK_FILE),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
        java.nio.channels.FileLock lock = ch.tryLock();
        if (lock == null) {
            ch.close();
            throw new IllegalArgumentException("--out " + dir + " is in use by another running process (it holds "
                    + key.resolve(LOCK_FILE) + "); wait for it to finish or stop it, or choose another --out");
        }
        LOCKS.put(key, lock);
    }

    /** The lock file in a run directory. */
    public static final String LOCK_FILE = ".run.lock";

    static Optional<Path> latest(Path root, String name) throws IOException {
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().startsWith(name + "-"))
                    .max(Comparator.comparing(p -> p.getFileName().toString()));
        }
    }

    private static boolean hasEntries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isPresent();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
