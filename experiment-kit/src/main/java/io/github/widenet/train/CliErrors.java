package io.github.widenet.train;

import picocli.CommandLine;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * How the commands report failures: one line on stderr, no stack trace. Exit codes: 2 for an invalid option (picocli's
 * or an {@link InvalidOptionException} from checks inside the run, e.g. --resume with other options), 1 for unusable
 * data or files (the message names the file), 3 for a run stopped on request after a checkpoint
 * ({@link RunInterruptedException}), 4 when training was stopped because it diverged or produced non-finite values.
 * Anything else is a bug and keeps its stack trace (exit 1).
 */
public final class CliErrors {

    public static final int USAGE = 2;
    public static final int FAILED = 1;
    public static final int INTERRUPTED = 3;
    public static final int STOPPED = 4;

    private CliErrors() {
    }

    /** Installs the handlers on {@code cmd}; {@code name} prefixes every message (e.g. "mnist"). */
    public static CommandLine configure(CommandLine cmd, String name) {
        cmd.setParameterExceptionHandler((ex, args) -> {
            cmd.getErr().println(name + ": " + oneLine(ex.getMessage()));
            return USAGE;
        });
        cmd.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof InvalidOptionException) {
                c.getErr().println(name + ": " + oneLine(ex.getMessage()));
                return USAGE;
            }
            if (ex instanceof RunInterruptedException) {
                c.getErr().println(name + ": " + oneLine(ex.getMessage()));
                return INTERRUPTED;
            }
            if (ex instanceof TrainingStoppedException) {
                c.getErr().println(name + ": stopped: " + oneLine(ex.getMessage()));
                return STOPPED;
            }
            if (ex instanceof IOException || ex instanceof UncheckedIOException) {
                Throwable io = ex instanceof UncheckedIOException u ? u.getCause() : ex;
                c.getErr().println(name + ": error: " + oneLine(io.getMessage()));
                return FAILED;
            }
            throw ex;
        });
        return cmd;
    }

    /** Runs {@code command} (a picocli command object) with these handlers, named by its {@code @Command} name. */
    public static int execute(Object command, String... args) {
        CommandLine cl = new CommandLine(command);
        return configure(cl, cl.getCommandName()).execute(args);
    }

    private static String oneLine(String msg) {
        return msg == null ? "(no message)" : msg.replace('\n', ' ').replace('\r', ' ').strip();
    }
}
