package io.github.widenet.theory.teacher;

import io.github.widenet.ntk.JacobianProducts;
import io.github.widenet.ntk.NtkRegression;
import io.github.widenet.ntk.NtkSolution;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The τ → ∞, t → ∞ limit of the student — the min-norm interpolant f(x) = Θ(x, X)Θ⁻¹y with the empirical NTK of the
 * trained parameters (the frozen bias excluded) — computed matrix-free by {@link NtkRegression} (conjugate gradients over
 * JVPs and VJPs of the student, never forming Θ), to a relative residual of {@value #TOLERANCE}.
 *
 * @param trainLoss  ½·mean squared error on the training points (≈ 0: it interpolates)
 * @param testLoss   ½·mean squared error on the test points
 * @param iterations CG iterations
 * @param residual   final relative residual ‖Θa − y‖/‖y‖ (recomputed)
 */
public record NtkInterpolant(double trainLoss, double testLoss, int iterations, double residual) {

    static final double TOLERANCE = 1e-10;
    static final int MAX_ITERATIONS = 20_000;

    /** The interpolant of {@code problem}'s training set with the kernel of {@code student} at its current parameters. */
    public static NtkInterpolant of(MultiLayerNetwork student, Problem problem) {
        int n = problem.trainY().length;
        DataSet train = new DataSet(problem.trainFeatures(), Nd4j.createFromArray(problem.trainY()).reshape(n, 1));
        NtkSolution fit = NtkRegression.builder().tolerance(TOLERANCE).maxIterations(MAX_ITERATIONS).recomputeEvery(100)
                .build().fit(JacobianProducts.of(student).excluding(Student.FROZEN), new ListDataSetIterator<>(
                        train.asList(), n));
        double[] trainPred = fit.predict(problem.trainFeatures()).reshape(-1).toDoubleVector();
        double[] testPred = fit.predict(problem.testFeatures()).reshape(-1).toDoubleVector();
        return new NtkInterpolant(Losses.halfMse(trainPred, problem.trainY()), Losses.halfMse(testPred, problem.testY()),
                fit.last().iteration(), fit.last().residual());
    }
}
