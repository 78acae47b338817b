package io.github.widenet.theory.pde.sgd;

/**
 * One SGD run of the mean-field network: width N, seed, time per sample ε, minibatch B; at each recorded time t_i the
 * unit norms ‖w_j‖ (norms[i], N values) and the test risk with the half-width of its 95 % interval
 * (1.96 · sd/√n over the test sample); wall time of training.
 */
public record SgdTrace(int width, long seed, double eps, int batch, double[] times, double[][] norms, double[] testRisk,
                       double[] testRiskHalfWidth, double trainSeconds, long samples) {

    /** Name of the run in checkpoints and results. */
    public static String task(int width, long seed, double eps) {
        return "sgd-N" + width + "-seed" + seed + "-eps" + eps;
    }
}
