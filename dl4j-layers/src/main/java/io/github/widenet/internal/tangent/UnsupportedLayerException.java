package io.github.widenet.internal.tangent;

/** A layer, vertex, preprocessor or activation that has no tangent rule; the message names it and its position. */
public class UnsupportedLayerException extends IllegalArgumentException {
    public UnsupportedLayerException(String message) {
        super(message);
    }
}
