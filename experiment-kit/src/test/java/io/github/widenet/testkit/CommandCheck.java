package io.github.widenet.testkit;

import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The promises every experiment command keeps, as the assertions their tests share (the experiment modules use this
 * module's test jar): a bad option is one line on stderr and exit code 2 before any data is read or any directory is
 * made; a stopped or diverged run writes no results.
 */
public final class CommandCheck {

    private CommandCheck() {
    }

    /** A finished command: its exit code, what it logged (its progress stream) and its stderr. */
    public record Outcome(int code, String out, String err) {
    }

    /** Runs the command line that {@code command} builds around a log stream, with {@code args}. */
    public static Outcome run(Function<PrintStream, CommandLine> command, String... args) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        int code = command.apply(new PrintStream(log, true, StandardCharsets.UTF_8)).setErr(new PrintWriter(err, true))
                .execute(args);
        return new Outcome(code, log.toString(StandardCharsets.UTF_8), err.toString());
    }

    /** {@code base}'s options (name, value pairs) that {@code given} does not name, then {@code given}. */
    public static String[] merged(String[][] base, String... given) {
        List<String> a = new ArrayList<>();
        List<String> g = Arrays.asList(given);
        for (String[] kv : base) {
            if (!g.contains(kv[0])) {
                a.addAll(List.of(kv));
            }
        }
        a.addAll(g);
        return a.toArray(new String[0]);
    }

    /** {@code args} plus {@code extra}. */
    public static String[] plus(List<String> args, String... extra) {
        List<String> a = new ArrayList<>(args);
        a.addAll(Arrays.asList(extra));
        return a.toArray(new String[0]);
    }

    /** A copy of {@code args} with {@code option}'s value replaced (the option must be there). */
    public static String[] with(String[] args, String option, String value) {
        String[] a = args.clone();
        for (int i = 0; i < a.length - 1; i++) {
            if (a[i].equals(option)) {
                a[i + 1] = value;
                return a;
            }
        }
        throw new IllegalArgumentException(option + " is not among " + Arrays.toString(args));
    }

    /**
     * A refused option: exit code 2, one line naming each of {@code expected}, no stack trace, no data read (no "Data:"
     * in the log) and no output directory {@code out} made.
     */
    public static void assertRefused(Outcome o, Path out, String what, String... expected) {
        String says = what + " -> " + o.err();
        assertEquals(2, o.code(), says);
        assertEquals(1, o.err().strip().lines().count(), "one line: " + says);
        assertFalse(o.err().contains("\tat ") || o.err().contains("Exception"), "no stack trace: " + says);
        for (String e : expected) {
            assertTrue(o.err().contains(e), "'" + e + "' missing: " + says);
        }
        assertFalse(o.out().contains("Data:"), "no data read: " + says);
        assertFalse(Files.exists(out), "no output directory created: " + says);
    }

    /** None of {@code files} exists in {@code out} ({@code why}: e.g. "for a diverged run"). */
    public static void assertNotWritten(Path out, String why, String... files) {
        for (String f : files) {
            assertFalse(Files.exists(out.resolve(f)), f + " must not be written " + why);
        }
    }
}
