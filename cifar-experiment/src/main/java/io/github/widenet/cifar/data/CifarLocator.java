package io.github.widenet.cifar.data;

import org.deeplearning4j.common.resources.DL4JResources;
import org.deeplearning4j.common.resources.ResourceType;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds CIFAR-10: an explicit directory (--data-dir), then {@value #ENV_CIFAR}, then {@value #ENV_DATA} (a parent holding
 * {@code cifar10/} or {@code cifar-10-batches-bin/}), then DL4J's own cache ({@code ~/.deeplearning4j/data/cifar10}).
 * Inside a directory it recognises the official binary batches ({@code data_batch*.bin} + {@code test_batch*.bin}, also
 * in a {@code cifar-10-batches-bin/} subfolder), the {@code cifar-10-binary.tar.gz} archive, and DL4J's image folders
 * ({@code train/<class>/}, {@code test/<class>/}, exactly the ten class folders). Decoded data is cached (see
 * {@link CifarCache}). An explicit setting (--data-dir or an environment variable) that holds no data is an error, never
 * a fallback. Downloads only when allowed (--download) and nothing was found; offline it stops with instructions.
 */
public final class CifarLocator {

    public static final String ENV_CIFAR = "WIDENET_CIFAR_DATA";
    public static final String ENV_DATA = "WIDENET_DATA";
    static final String OFFICIAL_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz";
    /** MD5 of the official cifar-10-binary.tar.gz. */
    static final String OFFICIAL_MD5 = "c32a1d4ab5d03f1284b67883e8d87530";

    private static final String EXPECTED = "expected data_batch*.bin + test_batch*.bin, cifar-10-binary.tar.gz, or "
            + "train/<class>/ and test/<class>/ image folders";

    private final Map<String, String> env;
    private final Path dl4jCache;
    private final CifarCache cache;

    public CifarLocator() {
        this(System.getenv(), new java.io.File(DL4JResources.getBaseDirectory(),
                ResourceType.DATASET.resourceName() + "/cifar10").toPath(), new CifarCache(CifarCache.defaultDirectory()));
    }

    public CifarLocator(Map<String, String> env, Path dl4jCache, CifarCache cache) {
        this.env = env;
        this.dl4jCache = dl4jCache;
        this.cache = cache;
    }

    /** A recognised dataset location. */
    record Found(Path path, CifarSource.Format format) {
    }

    public CifarSource locate(Optional<Path> explicitDir, boolean allowDownload) throws IOException {
        List<String> looked = new ArrayList<>();
        if (explicitDir.isPresent()) {
            Optional<Found> f = recognise(explicitDir.get());
            if (f.isEmpty()) {
                throw new IOException("--data-dir " + explicitDir.get() + " holds no CIFAR-10 data: " + EXPECTED);
            }
            return load(CifarSource.Kind.EXPLICIT_DIR, f.get());
        }
        for (String var : new String[]{ENV_CIFAR, ENV_DATA}) {
            String v = env.get(var);
            if (v != null && !v.isBlank()) {
                Optional<Found> f = recognise(Path.of(v));
                if (f.isPresent()) {
                    return load(CifarSource.Kind.ENV, f.get());
                }
                throw new IOException(var + "=" + v + (Files.isDirectory(Path.of(v)) ? " holds no CIFAR-10 data "
                        + "(itself or in cifar10/ or cifar-10-batches-bin/): " + EXPECTED : " is not a directory")
                        + ". Fix or unset " + var + ".");
            } else {
                looked.add(var + " (unset)");
            }
        }
        if (dl4jCache != null) {
            for (Path d : new Path[]{dl4jCache, downloadDir()}) {
                looked.add("DL4J cache " + d);
                Optional<Found> f = recognise(d);
                if (f.isPresent()) {
                    return load(CifarSource.Kind.DL4J_CACHE, f.get());
                }
            }
        }
        if (!allowDownload) {
            throw new IOException("no CIFAR-10 found (looked in " + String.join(", ", looked) + "). " + instructions());
        }
        return download(looked);
    }

    private static String instructions() {
        return "Pass --data-dir DIR or set " + ENV_CIFAR + "=DIR, where DIR holds the official binary batches "
                + "(cifar-10-batches-bin/ or cifar-10-binary.tar.gz from " + OFFICIAL_URL + ") or DL4J's image folders "
                + "train/<class>/*.jpg and test/<class>/*.jpg.";
    }

    /** Recognises a dataset in {@code dir} or its cifar10/ or cifar-10-batches-bin/ subfolder. */
    static Optional<Found> recognise(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        for (Path d : new Path[]{dir, dir.resolve("cifar-10-batches-bin"), dir.resolve("cifar10")}) {
            if (!Files.isDirectory(d)) {
                continue;
            }
            if (hasBatches(d)) {
                return Optional.of(new Found(d, CifarSource.Format.BINARY_FILES));
            }
            if (Files.isRegularFile(d.resolve("cifar-10-binary.tar.gz"))) {
                return Optional.of(new Found(d.resolve("cifar-10-binary.tar.gz"), CifarSource.Format.BINARY_ARCHIVE));
            }
            if (Files.isDirectory(d.resolve("train")) && Files.isDirectory(d.resolve("test"))) {
                return Optional.of(new Found(d, CifarSource.Format.IMAGE_FOLDERS));
            }
        }
        return Optional.empty();
    }

    private static boolean hasBatches(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            List<String> names = s.map(p -> p.getFileName().toString()).toList();
            return names.stream().anyMatch(n -> n.startsWith("data_batch") && n.endsWith(".bin"))
                    && names.stream().anyMatch(n -> n.startsWith("test_batch") && n.endsWith(".bin"));
        }
    }

    private CifarSource load(CifarSource.Kind kind, Found f) throws IOException {
        if (f.format() == CifarSource.Format.IMAGE_FOLDERS) {
            CifarFolderReader.checkClassFolders(f.path().resolve("train"));
            CifarFolderReader.checkClassFolders(f.path().resolve("test"));
        }
        String fingerprint = fingerprint(f);
        CifarSet[] sets = cache == null ? null : cache.load(fingerprint);
        if (sets == null) {
            sets = switch (f.format()) {
                case BINARY_FILES -> CifarBinaryReader.readDirectory(f.path());
                case BINARY_ARCHIVE -> CifarBinaryReader.readArchive(f.path());
                case IMAGE_FOLDERS -> new CifarSet[]{CifarFolderReader.read(f.path().resolve("train")),
                        CifarFolderReader.read(f.path().resolve("test"))};
            };
            if (cache != null) {
                cache.store(fingerprint, sets[0], sets[1]);
            }
        }
        boolean jpeg = f.format() == CifarSource.Format.IMAGE_FOLDERS && containsJpeg(f.path());
        return new CifarSource(kind, f.path().toAbsolutePath().toString(), f.format(), jpeg, sets[0], sets[1]);
    }

    private static boolean containsJpeg(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("train").resolve(CifarSet.CLASS_NAMES[0]))) {
            return s.anyMatch(p -> {
                String n = p.getFileName().toString().toLowerCase();
                return n.endsWith(".jpg") || n.endsWith(".jpeg");
            });
        }
    }

    /** Path, format, and the number, total size and latest modification time of the source's files. */
    static String fingerprint(Found f) throws IOException {
        long count = 0;
        long bytes = 0;
        long latest = 0;
        try (Stream<Path> s = Files.isDirectory(f.path()) ? Files.walk(f.path()) : Stream.of(f.path())) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                count++;
                bytes += Files.size(p);
                latest = Math.max(latest, Files.getLastModifiedTime(p).toMillis());
            }
        }
        String key = f.path().toAbsolutePath().normalize() + "|" + f.format() + "|" + count + "|" + bytes + "|" + latest;
        return Long.toHexString(key.hashCode() & 0xffffffffL) + "-" + Long.toHexString(bytes) + "-" + count;
    }

    /**
     * Where downloads go: beside DL4J's {@code cifar10/} folder, not inside it, because DL4J's own Cifar10Fetcher expects
     * image folders there.
     */
    private Path downloadDir() {
        return dl4jCache.resolveSibling("cifar-10-binary");
    }

    private CifarSource download(List<String> looked) throws IOException {
        Path dir = Files.createDirectories(downloadDir());
        Path target = dir.resolve("cifar-10-binary.tar.gz");
        Path tmp = dir.resolve("cifar-10-binary.tar.gz.part");
        try (InputStream in = new URL(OFFICIAL_URL).openStream()) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            String md5 = md5(tmp);
            if (!OFFICIAL_MD5.equals(md5)) {
                throw new IOException("downloaded file has MD5 " + md5 + ", expected " + OFFICIAL_MD5);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw new IOException("no CIFAR-10 found (looked in " + String.join(", ", looked) + ") and downloading "
                    + OFFICIAL_URL + " failed (" + e.getClass().getSimpleName() + ": " + e.getMessage() + "). "
                    + instructions(), e);
        }
        return load(CifarSource.Kind.DOWNLOADED, new Found(target, CifarSource.Format.BINARY_ARCHIVE));
    }

    private static String md5(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            java.security.MessageDigest d = java.security.MessageDigest.getInstance("MD5");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
            return java.util.HexFormat.of().formatHex(d.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
