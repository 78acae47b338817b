package io.github.widenet.mnist.data;

import org.deeplearning4j.common.resources.DL4JResources;
import org.deeplearning4j.common.resources.ResourceType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds MNIST: an explicit directory (--data-dir), then the environment variable {@value #ENV_VAR} (the folder holding
 * the four IDX files, or a parent with an {@code mnist/} subfolder), then DL4J's dataset cache, then — unless full data
 * is required — the real subset embedded in this module. Files may be gzipped or not, under their official names. An
 * explicit setting (--data-dir or {@value #ENV_VAR}) that lacks files is an error naming the missing files, never a
 * fallback. A download into DL4J's cache happens only when asked for (--download) and nothing was found; offline it
 * fails with a message saying where to put which files.
 */
public final class MnistLocator {

    public static final String ENV_VAR = "WIDENET_DATA";
    static final String[] FILES = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
            "t10k-labels-idx1-ubyte"};
    static final String EMBEDDED = "/io/github/widenet/mnist/embedded/";

    /** Fetches the official files into DL4J's cache. */
    interface Downloader {
        void download() throws IOException;
    }

    private final Map<String, String> env;
    private final Path dl4jCache;
    private final List<Path> otherDl4jCaches;
    private final Downloader downloader;

    /**
     * A locator reading the process environment and DL4J's cache directories: {@code <base>/data/MNIST} (MnistFetcher,
     * also the download target) and {@code <base>} itself (where M2.1's MnistDataSetIterator keeps the files).
     */
    public MnistLocator() {
        this(System.getenv(), new java.io.File(DL4JResources.getBaseDirectory(),
                ResourceType.DATASET.resourceName() + "/MNIST").toPath(),
                List.of(DL4JResources.getBaseDirectory().toPath()));
    }

    /** For tests: an injected environment and cache directory. */
    public MnistLocator(Map<String, String> env, Path dl4jCache) {
        this(env, dl4jCache, List.of());
    }

    MnistLocator(Map<String, String> env, Path dl4jCache, List<Path> otherDl4jCaches) {
        this(env, dl4jCache, otherDl4jCaches, () -> new org.deeplearning4j.datasets.base.MnistFetcher().downloadAndUntar());
    }

    MnistLocator(Map<String, String> env, Path dl4jCache, List<Path> otherDl4jCaches, Downloader downloader) {
        this.env = env;
        this.dl4jCache = dl4jCache;
        this.otherDl4jCaches = otherDl4jCaches;
        this.downloader = downloader;
    }

    /** As {@link #locate(Optional, boolean, boolean)} without downloading. */
    public MnistSource locate(Optional<Path> explicitDir, boolean requireFull) throws IOException {
        return locate(explicitDir, requireFull, false);
    }

    /**
     * @param explicitDir   the --data-dir option, if given
     * @param requireFull   true to refuse the embedded subset (--full-data)
     * @param allowDownload true to download into DL4J's cache when nothing was found (--download)
     */
    public MnistSource locate(Optional<Path> explicitDir, boolean requireFull, boolean allowDownload)
            throws IOException {
        if (explicitDir.isPresent()) {
            Path dir = explicitDir.get();
            Optional<Path> found = withFiles(dir);
            if (found.isPresent()) {
                return fromDirectory(MnistSource.Kind.EXPLICIT_DIR, found.get());
            }
            throw new IOException("--data-dir " + dir + " does not hold the four MNIST files (" + missingIn(dir)
                    + "). " + instructions());
        }
        String envDir = env.get(ENV_VAR);
        if (envDir != null && !envDir.isBlank()) {
            Optional<Path> found = withFiles(Path.of(envDir));
            if (found.isPresent()) {
                return fromDirectory(MnistSource.Kind.ENV, found.get());
            }
            Path d = Path.of(envDir);
            Path where = Files.isDirectory(d.resolve("mnist")) ? d.resolve("mnist") : d;
            throw new IOException(ENV_VAR + "=" + envDir + (Files.isDirectory(d) ? " does not hold the four MNIST files ("
                    + missingIn(where) + " in " + where + ")" : " is not a directory") + ". " + instructions()
                    + " Unset " + ENV_VAR + " to use the embedded subset.");
        }
        if (dl4jCache != null && withFiles(dl4jCache).isPresent()) {
            return fromDirectory(MnistSource.Kind.DL4J_CACHE, dl4jCache);
        }
        for (Path other : otherDl4jCaches) {
            if (withFiles(other).isPresent()) {
                return fromDirectory(MnistSource.Kind.DL4J_CACHE, other);
            }
        }
        String why = "no MNIST files in " + ENV_VAR + " (unset) or in DL4J's cache " + dl4jCache;
        if (allowDownload) {
            return download(why);
        }
        if (requireFull) {
            throw new IOException(why + ", and --full-data refuses the embedded subset. " + instructions()
                    + " Or pass --download to fetch it (needs internet).");
        }
        return embedded();
    }

    /** The directory itself or its {@code mnist/} subfolder, whichever holds all four files. */
    static Optional<Path> withFiles(Path dir) {
        for (Path candidate : new Path[]{dir, dir.resolve("mnist")}) {
            boolean all = true;
            for (String f : FILES) {
                all &= file(candidate, f).isPresent();
            }
            if (all) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> file(Path dir, String name) {
        for (String n : new String[]{name, name + ".gz"}) {
            Path p = dir.resolve(n);
            if (Files.isRegularFile(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static String missingIn(Path dir) {
        StringBuilder sb = new StringBuilder("missing:");
        for (String f : FILES) {
            if (file(dir, f).isEmpty()) {
                sb.append(' ').append(f).append("[.gz]");
            }
        }
        return sb.toString();
    }

    private static MnistSource fromDirectory(MnistSource.Kind kind, Path dir) throws IOException {
        MnistSet train = IdxReader.read(file(dir, FILES[0]).orElseThrow(), file(dir, FILES[1]).orElseThrow());
        MnistSet test = IdxReader.read(file(dir, FILES[2]).orElseThrow(), file(dir, FILES[3]).orElseThrow());
        return new MnistSource(kind, dir.toAbsolutePath().toString(), "MNIST from " + dir.toAbsolutePath() + " ("
                + train.size() + " train / " + test.size() + " test images)", train, test);
    }

    /** The real subset shipped in the module: the first 10,000 training and 2,000 test records of the official files. */
    public static MnistSource embedded() throws IOException {
        MnistSet train = readResource(FILES[0], FILES[1]);
        MnistSet test = readResource(FILES[2], FILES[3]);
        return new MnistSource(MnistSource.Kind.EMBEDDED, "classpath:" + EMBEDDED,
                "embedded MNIST subset (first " + train.size() + " train / " + test.size()
                        + " test images of the official files)", train, test);
    }

    private static MnistSet readResource(String images, String labels) throws IOException {
        try (InputStream img = resource(images); InputStream lab = resource(labels)) {
            return IdxReader.read(img, images + ".gz (embedded)", lab, labels + ".gz (embedded)");
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = MnistLocator.class.getResourceAsStream(EMBEDDED + name + ".gz");
        if (in == null) {
            throw new IOException("embedded MNIST file " + EMBEDDED + name + ".gz is missing from the classpath");
        }
        return in;
    }

    private String instructions() {
        String where = dl4jCache == null ? "DL4J's cache" : "DL4J's cache " + dl4jCache;
        return "Put the four official files " + String.join(", ", FILES)
                + " (gzipped or not) into one directory and pass it with --data-dir DIR or the environment variable "
                + ENV_VAR + "=DIR, or into " + where + ".";
    }

    private MnistSource download(String why) throws IOException {
        String where = dl4jCache == null ? "a directory" : dl4jCache.toString();
        try {
            downloader.download();
        } catch (IOException | RuntimeException e) {
            throw new IOException(why + ". Downloading MNIST failed (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "). " + instructions(), e);
        }
        Optional<Path> found = dl4jCache == null ? Optional.empty() : withFiles(dl4jCache);
        if (found.isEmpty()) {
            throw new IOException(why + "; the download finished but " + where + " still lacks the files ("
                    + missingIn(dl4jCache) + ")");
        }
        return fromDirectory(MnistSource.Kind.DOWNLOADED, found.get());
    }
}
