package io.github.widenet.cifar.data;

import java.io.IOException;

/** A CIFAR-10 file or image that is not what it should be; the message names the file. */
public class CifarFormatException extends IOException {
    public CifarFormatException(String message) {
        super(message);
    }

    public CifarFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
