package io.github.widenet.train;

/**
 * Training was stopped on purpose because its numbers can no longer be trusted (divergence, non-finite values). The
 * message is one line naming what happened, where (task, step, layer, parameter) and the option to change.
 */
public final class TrainingStoppedException extends RuntimeException {

    public TrainingStoppedException(String message) {
        super(message);
    }
}
