package io.github.widenet.theory.teacher;

import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * Runs a picocli command the project's way: a bad option value prints one line naming the option and the value and exits
 * with status 2 (no usage dump); {@code --help} prints the usage.
 */
public final class Cli {

    private Cli() {
    }

    public static int execute(Object command, String... args) {
        CommandLine cl = new CommandLine(command);
        cl.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println(ex.getCommandLine().getCommandName() + ": " + ex.getMessage());
            err.flush();
            return 2;
        });
        return cl.execute(args);
    }

    /** Throws the one-line error for option {@code name} with value {@code value} unless {@code ok}. */
    public static void require(Object command, boolean ok, String name, Object value, String rule) {
        if (!ok) {
            throw new CommandLine.ParameterException(new CommandLine(command),
                    "invalid value for " + name + ": " + value + " (" + rule + ")");
        }
    }
}
