package io.github.widenet.cifar.data;

import io.github.widenet.train.StagedData;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Locates the staged real data under ../shared/data (next to the repository) for tests that use it: empty locally when
 * absent (tests skip), an error when CI=true (see {@link StagedData}).
 */
final class SharedCifar {

    private SharedCifar() {
    }

    static Optional<Path> dir(String sub) {
        return StagedData.find(sub, d -> true);
    }
}
