package io.github.widenet.theory.teacher;

import io.github.widenet.train.CliErrors;
import picocli.CommandLine;

/**
 * Runs a picocli command the project's way ({@link CliErrors}: one line and exit 2 for a bad option, 1 naming the file
 * for a file error, 3 when stopped for --resume); {@code --help} prints the usage. {@link #require} is the one-line
 * check of an option value.
 */
public final class Cli {

    private Cli() {
    }

    public static int execute(Object command, String... args) {
        CommandLine cl = new CommandLine(command);
        return CliErrors.configure(cl, cl.getCommandName()).execute(args);
    }

    /** Throws the one-line error for option {@code name} with value {@code value} unless {@code ok}. */
    public static void require(Object command, boolean ok, String name, Object value, String rule) {
        if (!ok) {
            throw new CommandLine.ParameterException(new CommandLine(command),
                    "invalid value for " + name + ": " + value + " (" + rule + ")");
        }
    }
}
