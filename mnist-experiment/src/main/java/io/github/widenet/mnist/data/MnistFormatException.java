package io.github.widenet.mnist.data;

import java.io.IOException;

/** An MNIST IDX file that is not what it should be (wrong magic, count, size, label); the message names the file. */
public class MnistFormatException extends IOException {
    public MnistFormatException(String message) {
        super(message);
    }

    public MnistFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
