package io.github.widenet.theory.teacher;

/**
 * The τ → ∞ limit for one seed, from the empirical NTK at the unit-scale initialisation: kernel gradient descent with the
 * same number of steps and step c (the limit of step c/τ²), and the interpolant (t → ∞) twice — from the eigendecomposition
 * of the explicit kernel and matrix-free ({@link NtkInterpolant}, whose test loss is the figure's line).
 */
public record KernelResult(int seed, long steps, double stepConstant, double kernelGdTrainLoss, double kernelGdTestLoss,
                           double interpolantTrainLoss, double interpolantTestLoss, double lambdaMax, double lambdaMin,
                           long numParams, double seconds, double matrixFreeTrainLoss, double matrixFreeTestLoss,
                           int matrixFreeIterations, double matrixFreeResidual) {
}
