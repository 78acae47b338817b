package io.github.widenet.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Checks of command-line option values for the experiment mains, run before any data is read. Each failed check throws
 * an {@link IllegalArgumentException} whose one-line message names the option and the offending value, e.g.
 * {@code --eta: must be a finite number > 0, got NaN}.
 */
public final class OptionRules {

    private OptionRules() {
    }

    private static IllegalArgumentException bad(String option, String rule, Object value) {
        return new IllegalArgumentException(option + ": " + rule + ", got " + value);
    }

    /**
     * The one-line check of an option value: unless {@code ok}, an {@link InvalidOptionException} "invalid value for
     * {@code option}: {@code value} ({@code rule})", which {@link CliErrors} prints with exit code 2.
     */
    public static void require(boolean ok, String option, Object value, String rule) {
        if (!ok) {
            throw new InvalidOptionException("invalid value for " + option + ": " + value + " (" + rule + ")");
        }
    }

    /** {@code lo <= v <= hi}. */
    public static void inRange(String option, long v, long lo, long hi) {
        if (v < lo || v > hi) {
            throw bad(option, hi == Long.MAX_VALUE ? "must be >= " + lo : "must be between " + lo + " and " + hi, v);
        }
    }

    /** A finite number {@code > 0}. */
    public static void finitePositive(String option, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw bad(option, "must be a finite number > 0", v);
        }
    }

    /** A finite number in {@code [lo, hi)} ({@code hi} may be infinite, i.e. no upper bound). */
    public static void finiteIn(String option, double v, double lo, double hiExclusive) {
        if (!(v >= lo && v < hiExclusive) || Double.isInfinite(v)) {
            throw bad(option, Double.isInfinite(hiExclusive) ? "must be a finite number >= " + lo
                    : "must be a finite number in [" + lo + ", " + hiExclusive + ")", v);
        }
    }

    /**
     * Parses every value of a list option; a value {@code parse} refuses is reported with the option's name in front
     * ("--modes: ...").
     */
    public static <T> List<T> parseEach(String option, Collection<String> values, Function<String, T> parse) {
        List<T> out = new ArrayList<>();
        for (String v : values) {
            try {
                out.add(parse.apply(v));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** No value given twice. */
    public static void distinct(String option, Collection<?> values) {
        Set<Object> seen = new HashSet<>();
        for (Object v : values) {
            if (!seen.add(v)) {
                throw new IllegalArgumentException(option + ": " + v + " is given twice (in " + values + ")");
            }
        }
    }

    /** The two flags are not both set. */
    public static void notBoth(String a, boolean va, String b, boolean vb, String why) {
        if (va && vb) {
            throw new IllegalArgumentException(a + " and " + b + " cannot be combined: " + why);
        }
    }

    /** An existing directory (e.g. --data-dir), or null (not given). */
    public static void existingDirectory(String option, Path dir) {
        existing(option, dir, true);
    }

    /** An existing regular file (e.g. --peer), or null (not given). */
    public static void existingFile(String option, Path file) {
        existing(option, file, false);
    }

    private static void existing(String option, Path p, boolean directory) {
        if (p == null) {
            return;
        }
        if (!Files.exists(p)) {
            throw bad(option, directory ? "no such directory" : "no such file", p);
        }
        if (directory ? !Files.isDirectory(p) : !Files.isRegularFile(p)) {
            throw bad(option, directory ? "not a directory" : "not a regular file", p);
        }
    }

    /**
     * A directory that exists and is writable, or can be created: its nearest existing ancestor is a writable
     * directory. Null (not given) passes.
     */
    public static void writableDirectory(String option, Path dir) {
        if (dir == null) {
            return;
        }
        if (dir.toString().isBlank()) {
            throw bad(option, "must name a directory (an empty value would write into the working directory)", "\"\"");
        }
        Path p = dir.toAbsolutePath().normalize();
        if (Files.exists(p) && !Files.isDirectory(p)) {
            throw bad(option, "is a file, not a directory", dir);
        }
        Path existing = p;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw bad(option, "cannot be created (no existing parent)", dir);
        }
        if (!Files.isDirectory(existing)) {
            throw bad(option, "cannot be created: " + existing + " is a file", dir);
        }
        if (!Files.isWritable(existing)) {
            throw bad(option, (existing.equals(p) ? "is not writable" : "cannot be created: " + existing
                    + " is not writable"), dir);
        }
    }
}
