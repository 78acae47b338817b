package io.github.widenet.mnist.data;

import io.github.widenet.train.StagedData;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Locates the staged real data (WIDENET_DATA, else ../shared/data next to the repository) for tests that use it: empty
 * locally when absent (tests skip), an error when CI=true (see {@link StagedData}).
 */
public final class SharedData {

    private SharedData() {
    }

    /** The directory holding the four official MNIST files, if present. */
    public static Optional<Path> mnist() {
        String env = System.getenv("WIDENET_DATA");
        if (env != null && MnistLocator.withFiles(Path.of(env)).isPresent()) {
            return MnistLocator.withFiles(Path.of(env));
        }
        return StagedData.find("mnist", d -> MnistLocator.withFiles(d).isPresent());
    }
}
