package io.github.widenet.train;

import sun.misc.Signal;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Ctrl-C (SIGINT) and SIGTERM as a request to stop: once {@link #install() installed}, the first signal sets a flag
 * that the training loops read at their safe points ({@link #requested()}); they checkpoint and throw
 * {@link RunInterruptedException} (exit code 3, a message saying how to resume). A second signal ends the JVM at
 * once (exit 130) without waiting for a checkpoint.
 */
public final class StopSignal {

    private static final AtomicReference<String> REQUESTED = new AtomicReference<>();
    private static boolean installed;

    private StopSignal() {
    }

    /** Handles SIGINT and SIGTERM from now on (idempotent). */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        for (String name : List.of("INT", "TERM")) {
            try {
                Signal.handle(new Signal(name), s -> received("SIG" + s.getName()));
            } catch (IllegalArgumentException e) {
                // the JVM reserves the signal (e.g. started with -Xrs): it keeps its default action
            }
        }
        installed = true;
    }

    /** What the handler does on a signal; also the way to request a stop without one (tests, embedding code). */
    public static void received(String signal) {
        if (!REQUESTED.compareAndSet(null, signal)) {
            System.err.println("widenet: " + signal + " again: exiting now, without a checkpoint");
            Runtime.getRuntime().halt(130);
        }
        System.err.println("widenet: " + signal + ": stopping at the next safe point with a checkpoint "
                + "(send it again to exit at once)");
    }

    /** Whether a stop was requested. */
    public static boolean requested() {
        return REQUESTED.get() != null;
    }

    /**
     * Runs {@code action} as if {@code signal} had arrived just before it (so it stops at its first safe point), then
     * forgets the request: for tests and for code that embeds a command.
     */
    public static <T> T requestedDuring(String signal, java.util.function.Supplier<T> action) {
        REQUESTED.set(signal);
        try {
            return action.get();
        } finally {
            clear();
        }
    }

    /** Forgets a request (tests, or a long-lived JVM that starts another run). */
    public static void clear() {
        REQUESTED.set(null);
    }

    /**
     * The exception a command throws at a safe point once its work is saved: "interrupted by SIGINT at WHERE; the run
     * is checkpointed: continue with ./widenet COMMAND --resume --out DIR".
     */
    public static RunInterruptedException interrupted(String command, Path out, String where) {
        String signal = REQUESTED.get() == null ? "a stop request" : REQUESTED.get();
        return new RunInterruptedException("interrupted by " + signal + " " + where + "; the run is checkpointed: "
                + "continue with ./widenet " + command + " --resume --out " + out);
    }

    /** Throws {@link #interrupted} when a stop was requested (for safe points where everything is already saved). */
    public static void check(String command, Path out, String where) {
        if (requested()) {
            throw interrupted(command, out, where);
        }
    }
}
