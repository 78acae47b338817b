package io.github.widenet.layers.runtime;

/** A forward pass met NaN or ±Inf; the message names the layer, iteration and culprit (see {@link NonFiniteCheck}). */
public class NonFiniteException extends IllegalStateException {

    public NonFiniteException(String message) {
        super(message);
    }
}
