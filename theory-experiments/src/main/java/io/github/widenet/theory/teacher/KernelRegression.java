package io.github.widenet.theory.teacher;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Kernel regression with a fixed kernel K (here the empirical NTK at initialisation) — the τ → ∞ (lazy) limit of the
 * student. Gradient descent on the linearised model f = f0 + J·δ (f0 = 0 for the symmetrised student) with loss
 * (1/2n)‖Jδ − y‖² and step η evolves the training predictions as u_{t+1} = u_t − (η/n)·K·(u_t − y); with K = QΛQᵀ,
 * <pre>
 *     f_t(x) = K(x, X)·Q·diag(g_t(λ))·Qᵀ·y,     g_t(λ) = (1 − (1 − ηλ/n)^t)/λ,     g_∞(λ) = 1/λ (the interpolant)
 * </pre>
 * For the scale-τ student with step η(τ) = c/τ², K(τ) = τ²·K(1), so η(τ)·K(τ) = c·K(1): the limit is kernel GD with K(1)
 * and step c. Eigenvalues below {@code 1e-12·λ_max} are treated as zero (pseudo-inverse).
 */
public final class KernelRegression {

    private final INDArray eigenvectors;
    private final double[] eigenvalues;
    private final INDArray testTrainKernel;
    private final int n;

    /**
     * @param trainKernel     K(X, X), n × n (not modified)
     * @param testTrainKernel K(X', X), n' × n
     */
    public KernelRegression(INDArray trainKernel, INDArray testTrainKernel) {
        if (trainKernel.rank() != 2 || trainKernel.size(0) != trainKernel.size(1)) {
            throw new IllegalArgumentException("train kernel must be square, got " + java.util.Arrays.toString(trainKernel.shape()));
        }
        if (testTrainKernel.size(1) != trainKernel.size(0)) {
            throw new IllegalArgumentException("test-train kernel has " + testTrainKernel.size(1) + " columns, expected "
                    + trainKernel.size(0));
        }
        this.n = (int) trainKernel.size(0);
        INDArray q = trainKernel.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('f');
        INDArray lambda = Eigen.symmetricGeneralizedEigenvalues(q, true);
        this.eigenvectors = q;
        this.eigenvalues = lambda.reshape(-1).toDoubleVector();
        this.testTrainKernel = testTrainKernel.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
    }

    public double[] eigenvalues() {
        return eigenvalues.clone();
    }

    /** Predictions on the test points after {@code steps} steps of kernel GD with step η (steps < 0: the interpolant). */
    public double[] predictTest(double[] y, double eta, long steps) {
        return testTrainKernel.mmul(coefficients(y, eta, steps)).reshape(-1).toDoubleVector();
    }

    /** Predictions on the training points (same convention). */
    public double[] predictTrain(double[] y, double eta, long steps) {
        INDArray a = coefficients(y, eta, steps);
        INDArray k = eigenvectors.mmul(Nd4j.diag(Nd4j.createFromArray(eigenvalues))).mmul(eigenvectors.transpose());
        return k.mmul(a).reshape(-1).toDoubleVector();
    }

    /** α = Q·diag(g_t(λ))·Qᵀ·y. */
    private INDArray coefficients(double[] y, double eta, long steps) {
        if (y.length != n) {
            throw new IllegalArgumentException(y.length + " labels for " + n + " training points");
        }
        double max = 0;
        for (double l : eigenvalues) {
            max = Math.max(max, l);
        }
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            double l = eigenvalues[i];
            if (l <= 1e-12 * max) {
                g[i] = 0;
            } else if (steps < 0) {
                g[i] = 1 / l;
            } else {
                g[i] = (1 - Math.pow(1 - eta * l / n, steps)) / l;
            }
        }
        INDArray qty = eigenvectors.transpose().mmul(Nd4j.createFromArray(y).reshape(-1, 1));
        return eigenvectors.mmul(qty.muli(Nd4j.createFromArray(g).reshape(-1, 1)));
    }
}
