package io.github.widenet.train;

/**
 * An option value found invalid inside a command's run (a resume with other options, an occupied --out, an impossible
 * combination with the data found): {@link CliErrors} prints its one-line message and exits with
 * {@value CliErrors#USAGE}, like a value picocli refuses.
 */
public final class InvalidOptionException extends IllegalArgumentException {

    public InvalidOptionException(String message) {
        super(message);
    }

    public InvalidOptionException(String message, Throwable cause) {
        super(message, cause);
    }
}
