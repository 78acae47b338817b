package io.github.widenet.mnist.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Locates the staged real data (../shared/data next to the repository, or WIDENET_DATA) for tests that use it. */
public final class SharedData {

    private SharedData() {
    }

    /** The directory holding the four official MNIST files, if present. */
    public static Optional<Path> mnist() {
        String env = System.getenv("WIDENET_DATA");
        if (env != null && MnistLocator.withFiles(Path.of(env)).isPresent()) {
            return MnistLocator.withFiles(Path.of(env));
        }
        Path dir = Path.of("").toAbsolutePath();
        for (int i = 0; i < 5 && dir != null; i++, dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/data/mnist");
            if (Files.isDirectory(candidate) && MnistLocator.withFiles(candidate).isPresent()) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
