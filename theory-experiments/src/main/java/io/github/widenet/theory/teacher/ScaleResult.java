package io.github.widenet.theory.teacher;

/**
 * One training run of the scale sweep: seed, initial scale τ, step η = min(cap, c/τ²), losses, time, and κ at
 * initialisation (NaN when not measured).
 */
public record ScaleResult(int seed, double tau, double step, long steps, double finalTrainLoss, double finalTestLoss,
                          double bestTestLoss, double seconds, double residualNorm, double jacobianNorm,
                          double hessianNorm, double kappa) {
}
