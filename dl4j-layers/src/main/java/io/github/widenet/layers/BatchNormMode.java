package io.github.widenet.layers;

/**
 * Which function a wrapped network's BatchNormalization layers compute, in every pass of the lazy and linearized
 * wrappers and of the NTK (h(w) and h(w0) always in the same mode). Per channel c, with x̂ = (x − μ)/√(σ² + ε) and
 * y = γ·x̂ + β:
 * <ul>
 * <li>{@link #INFERENCE} (the default): μ, σ² are the running statistics at w0, constants of the model. The layer is
 * affine in x, the network a function of each example alone, and the tangent is
 * ẏ = γ0/√(σ²+ε)·ẋ + δγ·x̂0 + δβ. The running statistics never change (their gradient is zero). At DL4J's random
 * initialisation they are μ = 0, σ² = 1, so the layer is then the affine map γ·x/√(1+ε) + β.</li>
 * <li>{@link #TRAINING}: μ, σ² are the statistics of the minibatch (over the examples, and over positions for
 * convolutional activations), as in DL4J training, in every pass (evaluation included): the model is a function of the
 * whole minibatch and its exact linearization goes through the mean and variance,
 * ẏ = γ0/s·(ẋ − mean(ẋ) − x̂0·mean(x̂0·ẋ)) + δγ·x̂0 + δβ with s = √(σ_B² + ε). The running statistics are not used and
 * do not change; the lazy wrapper's initial outputs h(w0, x) are recomputed on each minibatch (no per-example cache).
 * </li>
 * </ul>
 */
public enum BatchNormMode {
    /** Running statistics at w0 (default): per-example, affine. */
    INFERENCE,
    /** Minibatch statistics in every pass: the exact training-mode function of the batch. */
    TRAINING
}
