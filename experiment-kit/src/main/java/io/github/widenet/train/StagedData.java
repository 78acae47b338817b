package io.github.widenet.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Finds the staged real data ({@code shared/data/<sub>} in the repository's parent or any of the five folders above the
 * working directory) for tests that use real files. Locally a missing folder is reported as empty so the test can be
 * skipped; in CI (environment variable {@code CI=true} or {@code CI=1}) it is an error, so real-data tests fail there
 * instead of silently skipping.
 */
public final class StagedData {

    private StagedData() {
    }

    /** The staged folder {@code shared/data/<sub>} if present and accepted by {@code valid}; see the class comment. */
    public static Optional<Path> find(String sub, Predicate<Path> valid) {
        return find(sub, valid, System.getenv(), Path.of("").toAbsolutePath());
    }

    /** As {@link #find(String, Predicate)} with an injected environment and start folder (for tests). */
    static Optional<Path> find(String sub, Predicate<Path> valid, Map<String, String> env, Path start) {
        Path dir = start.toAbsolutePath();
        for (int i = 0; i < 6 && dir != null; i++, dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/data").resolve(sub);
            if (Files.isDirectory(candidate) && valid.test(candidate)) {
                return Optional.of(candidate);
            }
        }
        if (inCi(env)) {
            throw new IllegalStateException("CI=" + env.get("CI") + " but the staged real data shared/data/" + sub
                    + " was not found (or is incomplete) above " + start.toAbsolutePath()
                    + ": real-data tests must not be skipped in CI");
        }
        return Optional.empty();
    }

    /** Whether {@code CI} is set to true or 1 (the convention of GitHub Actions, GitLab and most CI services). */
    static boolean inCi(Map<String, String> env) {
        String ci = env.get("CI");
        return ci != null && (ci.trim().toLowerCase(Locale.ROOT).equals("true") || ci.trim().equals("1"));
    }
}
