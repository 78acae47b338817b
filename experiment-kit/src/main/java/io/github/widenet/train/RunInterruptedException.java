package io.github.widenet.train;

/**
 * A run stopped on request (SIGINT/SIGTERM, see {@link StopSignal}) after saving its work; the one-line message says
 * how to resume it. {@link CliErrors} prints it and exits with {@value CliErrors#INTERRUPTED}.
 */
public final class RunInterruptedException extends RuntimeException {

    public RunInterruptedException(String message) {
        super(message);
    }
}
