package io.github.widenet.ntk;

import io.github.widenet.linearized.TestNets;
import io.github.widenet.testing.DoublePrecision;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The matrix-free NTK regression against the explicit route — Θ from {@link EmpiricalNtk}, (Θ + λI)a = r solved by
 * Gaussian elimination in plain Java loops, f(x') = h(w0, x') + Θ(x', X)a — on dense, convolutional (max pooling), NHWC
 * fast, width-scaled and graph networks; Θ·u against central finite differences; the λ → ∞ limit; minibatching; float vs
 * double; exact resumption; and its errors.
 */
@ExtendWith(DoublePrecision.class)
class NtkRegressionTest {

    private static final double SOLVE_TOL = 1e-13;

    // ---------------------------------------------------------------- against the explicit kernel

    @Test
    void matchesExplicitGramSolveOnDenseNet() {
        checkAgainstExplicit(TestNets.dense(), new long[]{6, 5}, 0.0);
        checkAgainstExplicit(TestNets.dense(), new long[]{6, 5}, 0.3);
    }

    @Test
    void matchesExplicitGramSolveOnConvMaxPoolNet() {
        checkAgainstExplicit(TestNets.conv(), new long[]{5, 2, 8, 8}, 0.0);
    }

    @Test
    void preconditionedSolveMatchesTheExplicitSolveInFewerIterations() {
        MultiLayerNetwork net = TestNets.conv();
        EmpiricalNtk ntk = EmpiricalNtk.of(net, 4);
        INDArray x = TestNets.input(24, 12, 2, 8, 8);
        INDArray y = targets(25, 12, 4);
        INDArray xt = TestNets.input(26, 3, 2, 8, 8);
        INDArray expected = explicitPrediction(ntk, net.output(x), net.output(xt), x, y, xt, 0.0);
        NtkSolution plain = solver(0.0).fit(net, iterator(x, y, 5));
        NtkSolution pre = solverBuilder(0.0).preconditionerRank(20).build().fit(net, iterator(x, y, 5));
        assertRelativeClose(expected, plain.predict(xt), 1e-8, "plain CG");
        assertRelativeClose(expected, pre.predict(xt), 1e-8, "Nyström-preconditioned CG");
        int plainIterations = plain.last().iteration();
        int preIterations = pre.last().iteration();
        assertTrue(preIterations * 2 <= plainIterations, "iterations to " + SOLVE_TOL + ": preconditioned "
                + preIterations + ", plain " + plainIterations);
    }

    @Test
    void matchesExplicitGramSolveOnNhwcFastLayers() {
        checkAgainstExplicit(TestNets.fastConvNhwc(), new long[]{5, 8, 8, 2}, 0.1);
    }

    @Test
    void matchesExplicitGramSolveOnWidthScaledLayers() {
        checkAgainstExplicit(TestNets.project(), new long[]{5, 2, 5, 5}, 0.0);
    }

    @Test
    void matchesExplicitGramSolveWithOneAndTenOutputs() {
        checkAgainstExplicit(denseNet(1, DataType.DOUBLE), new long[]{9, 5}, 0.0);
        checkAgainstExplicit(denseNet(10, DataType.DOUBLE), new long[]{4, 5}, 0.05);
    }

    @Test
    void matchesExplicitGramSolveOnGraph() {
        ComputationGraph g = TestNets.graph();
        EmpiricalNtk ntk = EmpiricalNtk.of(g, 3);
        int k = ntk.numOutputs();
        INDArray x = TestNets.input(11, 5, inputWidth(g));
        INDArray y = targets(12, 5, k);
        INDArray xt = TestNets.input(13, 3, inputWidth(g));
        NtkSolution fit = solver(0.0).fit(g, iterator(x, y, 2));
        INDArray expected = explicitPrediction(ntk, g.output(x)[0], g.output(xt)[0], x, y, xt, 0.0);
        assertRelativeClose(expected, fit.predict(xt), 1e-8, "graph predictions");
    }

    /** Predictions on new points equal the explicit solve's to 1e-8 relative, also with centring. */
    private static void checkAgainstExplicit(MultiLayerNetwork net, long[] shape, double lambda) {
        EmpiricalNtk ntk = EmpiricalNtk.of(net, 2);
        int k = ntk.numOutputs();
        INDArray x = TestNets.input(21, shape);
        INDArray y = targets(22, (int) shape[0], k);
        long[] testShape = shape.clone();
        testShape[0] = 3;
        INDArray xt = TestNets.input(23, testShape);
        NtkSolution fit = solver(lambda).fit(net, iterator(x, y, 2));
        INDArray expected = explicitPrediction(ntk, net.output(x), net.output(xt), x, y, xt, lambda);
        assertRelativeClose(expected, fit.predict(xt), 1e-8, "predictions (λ = " + lambda + ")");
        assertTrue(fit.last().residual() <= 1e-10, "residual " + fit.last().residual());

        NtkSolution centred = solverBuilder(lambda).centred(true).build().fit(net, iterator(x, y, 3));
        INDArray expectedCentred = explicitPrediction(ntk, Nd4j.zeros(DataType.DOUBLE, shape[0], k),
                Nd4j.zeros(DataType.DOUBLE, 3, k), x, y, xt, lambda);
        assertRelativeClose(expectedCentred, centred.predict(xt), 1e-8, "centred predictions (λ = " + lambda + ")");
    }

    private static NtkRegression.Builder solverBuilder(double lambda) {
        return NtkRegression.builder().ridge(lambda).tolerance(SOLVE_TOL).maxIterations(400).recomputeEvery(10);
    }

    private static NtkRegression solver(double lambda) {
        return solverBuilder(lambda).build();
    }

    /** h0(x') + Θ(x', X)(Θ(X, X) + λI)⁻¹(Y − h0(X)), with the solve in plain Java. */
    private static INDArray explicitPrediction(EmpiricalNtk ntk, INDArray h0Train, INDArray h0Test, INDArray x,
                                               INDArray y, INDArray xt, double lambda) {
        int k = ntk.numOutputs();
        int n = (int) x.size(0);
        double[][] gram = ntk.gram(x, EmpiricalNtk.Output.FULL).toDoubleMatrix();
        for (int i = 0; i < gram.length; i++) {
            gram[i][i] += lambda;
        }
        double[] r = new double[n * k];
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < k; l++) {
                r[i * k + l] = y.getDouble(i, l) - h0Train.getDouble(i, l);
            }
        }
        double[] a = gaussianSolve(gram, r);
        double[][] cross = ntk.cross(xt, x, EmpiricalNtk.Output.FULL).toDoubleMatrix();
        int nt = (int) xt.size(0);
        double[][] f = new double[nt][k];
        for (int i = 0; i < nt; i++) {
            for (int l = 0; l < k; l++) {
                double s = h0Test.getDouble(i, l);
                for (int j = 0; j < a.length; j++) {
                    s += cross[i * k + l][j] * a[j];
                }
                f[i][l] = s;
            }
        }
        return Nd4j.createFromArray(f);
    }

    /** Gaussian elimination with partial pivoting. */
    static double[] gaussianSolve(double[][] matrix, double[] rhs) {
        int n = rhs.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            m[i] = java.util.Arrays.copyOf(matrix[i], n + 1);
            m[i][n] = rhs[i];
        }
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) {
                    piv = r;
                }
            }
            double[] tmp = m[c];
            m[c] = m[piv];
            m[piv] = tmp;
            for (int r = c + 1; r < n; r++) {
                double f = m[r][c] / m[c][c];
                for (int q = c; q <= n; q++) {
                    m[r][q] -= f * m[c][q];
                }
            }
        }
        double[] sol = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = m[r][n];
            for (int q = r + 1; q < n; q++) {
                s -= m[r][q] * sol[q];
            }
            sol[r] = s / m[r][r];
        }
        return sol;
    }

    // ---------------------------------------------------------------- the products themselves

    /** Θ·u = J(Jᵀu): Jᵀu by backprop, then J·g against central differences of h(w0 ± εg) and against EmpiricalNtk. */
    @Test
    void kernelTimesVectorMatchesFiniteDifferencesAndTheGram() {
        MultiLayerNetwork net = TestNets.conv();
        INDArray x = TestNets.input(31, 4, 2, 8, 8);
        INDArray u = TestNets.input(32, 4, 4);
        JacobianProducts jac = JacobianProducts.of(net);
        INDArray g = Nd4j.zeros(DataType.DOUBLE, jac.numParams());
        jac.at(x).addVjp(u, g);
        INDArray thetaU = jac.at(x).jvp(g);

        INDArray w0 = net.params().dup();
        double eps = 1e-6;
        net.setParams(w0.add(g.mul(eps)));
        INDArray plus = net.output(x);
        net.setParams(w0.sub(g.mul(eps)));
        INDArray minus = net.output(x);
        net.setParams(w0);
        INDArray fd = plus.sub(minus).divi(2 * eps);
        assertRelativeClose(fd, thetaU, 1e-7, "Θu vs central differences");

        INDArray gram = EmpiricalNtk.of(net, 2).gram(x, EmpiricalNtk.Output.FULL);
        INDArray viaGram = gram.mmul(u.reshape(-1, 1)).reshape(4, 4);
        assertRelativeClose(viaGram, thetaU, 1e-10, "Θu vs the explicit Gram matrix");
    }

    // ---------------------------------------------------------------- limits and invariances

    /** As λ → ∞, a → r/λ: λ·(f − h0) → Θ(x', X)·r, with an error falling like 1/λ. */
    @Test
    void largeRidgeGivesTheKernelTimesTheTargets() {
        MultiLayerNetwork net = TestNets.dense();
        INDArray x = TestNets.input(41, 6, 5);
        INDArray y = targets(42, 6, 3);
        INDArray xt = TestNets.input(43, 3, 5);
        EmpiricalNtk ntk = EmpiricalNtk.of(net, 3);
        INDArray r = y.sub(net.output(x)).reshape(-1, 1);
        INDArray limit = ntk.cross(xt, x, EmpiricalNtk.Output.FULL).mmul(r).reshape(3, 3);
        double previous = Double.POSITIVE_INFINITY;
        for (double lambda : new double[]{1e2, 1e4, 1e6}) {
            NtkSolution fit = solver(lambda).fit(net, iterator(x, y, 6));
            INDArray scaled = fit.predict(xt).sub(net.output(xt)).muli(lambda);
            double err = scaled.sub(limit).norm2Number().doubleValue() / limit.norm2Number().doubleValue();
            assertTrue(err < previous / 50, "λ = " + lambda + ": error " + err + " after " + previous);
            previous = err;
        }
        assertTrue(previous < 1e-4, "λ = 1e6: relative error " + previous);
    }

    @Test
    void minibatchesGiveTheSameSolutionAsOneBatch() {
        MultiLayerNetwork net = TestNets.dense();
        INDArray x = TestNets.input(51, 7, 5);
        INDArray y = targets(52, 7, 3);
        INDArray xt = TestNets.input(53, 4, 5);
        INDArray one = solver(0.01).fit(net, iterator(x, y, 7)).predict(xt);
        for (int batch : new int[]{1, 3}) {
            assertRelativeClose(one, solver(0.01).fit(net, iterator(x, y, batch)).predict(xt), 1e-10,
                    "batches of " + batch);
        }
    }

    /** The same network in float32 (products in float, CG in double) agrees with the double network to float rounding. */
    @Test
    void floatNetworkAgreesWithDouble() {
        MultiLayerNetwork d = denseNet(4, DataType.DOUBLE);
        MultiLayerNetwork f = denseNet(4, DataType.FLOAT);
        f.setParams(d.params().castTo(DataType.FLOAT));
        INDArray x = TestNets.input(61, 6, 5);
        INDArray y = targets(62, 6, 4);
        INDArray xt = TestNets.input(63, 3, 5);
        NtkRegression s = NtkRegression.builder().ridge(0.1).tolerance(1e-6).maxIterations(200).build();
        INDArray pd = s.fit(d, iterator(x, y, 2)).predict(xt);
        INDArray pf = s.fit(f, iterator(x.castTo(DataType.FLOAT), y.castTo(DataType.FLOAT), 2)).predict(xt);
        assertEquals(DataType.DOUBLE, pf.dataType());
        assertRelativeClose(pd, pf, 1e-4, "float vs double");
    }

    /**
     * Lazy training's t → ∞ limit: the centred linearized model trained by gradient descent on the squared loss converges
     * to the centred regression's predictions; the lazy model α(h(w) − h(w0)) approaches them as α grows.
     */
    @Test
    void trainingConvergesToTheRegressionAndLazyTrainingApproachesItAsAlphaGrows() {
        MultiLayerNetwork net = denseNet(2, DataType.DOUBLE, 0.25);
        INDArray x = TestNets.input(71, 4, 5);
        INDArray y = targets(72, 4, 2);
        INDArray xt = TestNets.input(73, 6, 5);
        INDArray limit = NtkRegression.builder().centred(true).tolerance(1e-12).maxIterations(100).build()
                .fit(net, iterator(x, y, 4)).predict(xt);

        MultiLayerNetwork lin = io.github.widenet.linearized.LinearizedWrapper.builder().centred(true).wrap(net);
        double linErr = trainAndCompare(lin, x, y, xt, limit, 1.0);
        assertTrue(linErr < 1e-6, "linearized model after training: relative distance " + linErr);

        double previous = Double.POSITIVE_INFINITY;
        List<Double> errs = new ArrayList<>();
        for (double alpha : new double[]{1, 10, 100}) {
            MultiLayerNetwork lazy = io.github.widenet.lazy.LazyWrapper.wrap(net, alpha);
            double err = trainAndCompare(lazy, x, y, xt, limit, alpha);
            errs.add(err);
            assertTrue(err < previous, "lazy α = " + alpha + ": distance " + err + " not below " + previous);
            previous = err;
        }
        assertTrue(errs.get(2) < 0.02 && errs.get(0) > 5 * errs.get(2), "distances for α = 1, 10, 100: " + errs);
    }

    /** Full-batch GD on the squared loss; returns ‖f(x') − limit‖/‖limit‖ (f divided out of α's scale is not needed). */
    private static double trainAndCompare(MultiLayerNetwork net, INDArray x, INDArray y, INDArray xt, INDArray limit,
                                          double alpha) {
        DataSet ds = new DataSet(x, y);
        for (int i = 0; i < 1200; i++) {
            net.fit(ds);
        }
        return net.output(xt).sub(limit).norm2Number().doubleValue() / limit.norm2Number().doubleValue();
    }

    // ---------------------------------------------------------------- stopping, progress and resumption

    @Test
    void killedSolveResumesExactly(@TempDir Path dir) {
        MultiLayerNetwork net = TestNets.dense();
        INDArray x = TestNets.input(81, 8, 5);
        INDArray y = targets(82, 8, 3);
        resumesExactly(net, x, y, dir.resolve("cg.bin"), 0);
        resumesExactly(net, x, y, dir.resolve("cg-preconditioned.bin"), 5);
    }

    private static void resumesExactly(MultiLayerNetwork net, INDArray x, INDArray y, Path file, int rank) {
        NtkSolution whole = NtkRegression.builder().tolerance(0).maxIterations(7).recomputeEvery(0)
                .preconditionerRank(rank).build().fit(net, iterator(x, y, 3));
        NtkSolution stopped = NtkRegression.builder().tolerance(0).maxIterations(7).recomputeEvery(0)
                .preconditionerRank(rank).checkpoint(file, 100).listener(p -> p.iteration() < 3).build()
                .fit(net, iterator(x, y, 3));
        assertEquals(NtkSolution.StopReason.LISTENER, stopped.stopReason());
        assertTrue(Files.exists(file));
        NtkSolution resumed = NtkRegression.builder().tolerance(0).maxIterations(7).recomputeEvery(0)
                .preconditionerRank(rank).checkpoint(file, 100).build().fit(net, iterator(x, y, 3));
        assertEquals(NtkSolution.StopReason.MAX_ITERATIONS, resumed.stopReason());
        assertArrayEquals(whole.coefficients().reshape(-1).toDoubleVector(),
                resumed.coefficients().reshape(-1).toDoubleVector(),
                "coefficients after resuming");
        assertArrayEquals(whole.parameterDirection().toDoubleVector(), resumed.parameterDirection().toDoubleVector());
        double[] wholeResiduals = whole.history().stream().filter(p -> !p.verified())
                .mapToDouble(NtkProgress::residual).toArray();
        double[] resumedResiduals = resumed.history().stream().filter(p -> !p.verified())
                .mapToDouble(NtkProgress::residual).toArray();
        assertArrayEquals(wholeResiduals, resumedResiduals, "residual history across the resumption");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NtkRegression.builder()
                .ridge(0.5).checkpoint(file, 1).build().fit(net, iterator(x, y, 3)));
        assertTrue(e.getMessage().contains("ridge λ = 0.0 there, 0.5 here"), e.getMessage());
    }

    /**
     * More examples than parameters: Θ is singular and the targets are not in its range. With λ = 0 the solve stops
     * (BREAKDOWN or its cap) without an error, returning its lowest-residual iterate, whose recomputed residual it
     * reports truthfully; with a ridge λ > 0 the problem is well posed and the solution equals the explicit route's.
     */
    @Test
    void singularKernelStopsCleanlyAndARidgeMakesItWellPosed() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(12)
                .dataType(DataType.DOUBLE).updater(new Sgd(0.1)).list()
                .layer(new DenseLayer.Builder().nIn(2).nOut(2).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(1).activation(Activation.IDENTITY)
                        .build()).build());
        net.init();
        int n = 20;
        INDArray x = TestNets.input(121, n, 2);
        INDArray y = targets(122, n, 1);
        INDArray xt = TestNets.input(123, 4, 2);
        NtkSolution fit = NtkRegression.builder().tolerance(1e-12).maxIterations(2000).build()
                .fit(net, iterator(x, y, 7));
        assertTrue(fit.stopReason() == NtkSolution.StopReason.BREAKDOWN
                || fit.stopReason() == NtkSolution.StopReason.MAX_ITERATIONS, fit.stopReason().toString());
        INDArray f = fit.predict(x);
        double trueResidual = y.sub(f).norm2Number().doubleValue() / y.sub(net.output(x)).norm2Number().doubleValue();
        assertEquals(trueResidual, fit.last().residual(), 1e-9, "the reported residual is that of the returned solution");
        assertTrue(fit.last().verified() && trueResidual <= 1.0 + 1e-12, "never worse than a = 0: " + trueResidual);

        EmpiricalNtk ntk = EmpiricalNtk.of(net, n);
        INDArray expected = explicitPrediction(ntk, net.output(x), net.output(xt), x, y, xt, 0.05);
        assertRelativeClose(expected, solver(0.05).fit(net, iterator(x, y, 7)).predict(xt), 1e-8, "ridge 0.05");
    }

    @Test
    void smallMatrixRoutinesReconstructTheirInput() {
        double[][] a = {{4, 1, 0.5}, {1, 3, 0.2}, {0.5, 0.2, 2}};
        double[][] l = SmallMatrices.cholesky(a);
        assertMatrixEquals(a, SmallMatrices.multiply(l, SmallMatrices.transpose(l)), 1e-14);
        assertMatrixEquals(new double[][]{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}},
                SmallMatrices.multiply(SmallMatrices.lowerInverse(l), l), 1e-14);
        SmallMatrices.Eigen e = SmallMatrices.symmetricEigen(a);
        double[][] lam = new double[3][3];
        for (int i = 0; i < 3; i++) {
            lam[i][i] = e.values()[i];
        }
        assertMatrixEquals(a, SmallMatrices.multiply(SmallMatrices.multiply(e.vectors(), lam),
                SmallMatrices.transpose(e.vectors())), 1e-12);
        assertTrue(e.values()[0] >= e.values()[1] && e.values()[1] >= e.values()[2]);
        assertEquals(null, SmallMatrices.cholesky(new double[][]{{1, 2}, {2, 1}}), "indefinite");
    }

    private static void assertMatrixEquals(double[][] expected, double[][] actual, double tol) {
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[0].length; j++) {
                assertEquals(expected[i][j], actual[i][j], tol, "entry " + i + "," + j);
            }
        }
    }

    @Test
    void reportsResidualAndAccuracyAndStopsAtTheTolerance() {
        MultiLayerNetwork net = denseNet(3, DataType.DOUBLE);
        INDArray x = TestNets.input(91, 9, 5);
        INDArray y = oneHot(9, 3);
        List<NtkProgress> seen = new ArrayList<>();
        NtkSolution fit = NtkRegression.builder().tolerance(1e-6).maxIterations(500).recomputeEvery(5)
                .listener(p -> seen.add(p)).build().fit(net, iterator(x, y, 4));
        assertEquals(NtkSolution.StopReason.TOLERANCE, fit.stopReason());
        assertEquals(0, seen.get(0).iteration());
        assertEquals(1.0, seen.get(0).residual(), 1e-15);
        NtkProgress last = seen.get(seen.size() - 1);
        assertTrue(last.verified() && last.residual() <= 1.5e-6, last.toString());
        assertEquals(1.0, last.trainAccuracy());
        assertEquals(1.0, fit.accuracy(iterator(x, y, 4)));
        // the accuracy it reports equals the accuracy of its predictions
        for (NtkProgress p : seen) {
            assertTrue(p.trainAccuracy() >= 0 && p.trainAccuracy() <= 1);
        }
    }

    // ---------------------------------------------------------------- errors

    @Test
    void badInputIsNamed() {
        MultiLayerNetwork net = TestNets.dense();
        INDArray x = TestNets.input(101, 4, 5);
        INDArray y = targets(102, 4, 3);
        assertMessage(IllegalArgumentException.class, () -> NtkRegression.builder().ridge(-1), "ridge λ");
        assertMessage(IllegalArgumentException.class, () -> NtkRegression.builder().ridge(Double.NaN), "ridge λ");
        assertMessage(IllegalArgumentException.class, () -> solver(0).fit(net, iterator(x, targets(1, 4, 2), 2)),
                "K = 3 logits");
        assertMessage(IllegalArgumentException.class, () -> solver(0).fit(net,
                new ListDataSetIterator<>(new ArrayList<DataSet>(), 2)), "no examples");
        INDArray nan = y.dup();
        nan.putScalar(1, 1, Double.NaN);
        assertMessage(IllegalArgumentException.class, () -> solver(0).fit(net, iterator(x, nan, 2)),
                "the targets of minibatch 0 hold NaN or infinite values");
        MultiLayerNetwork linear = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .updater(new Sgd(0.1)).list()
                .layer(new DenseLayer.Builder().nIn(5).nOut(4).activation(Activation.IDENTITY).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(3).activation(Activation.IDENTITY)
                        .build()).build());
        linear.init();
        assertMessage(IllegalStateException.class, () -> solver(0).fit(linear, iterator(x.mul(1e300), y, 2)),
                "non-finite value at iteration 0");

        MultiLayerNetwork lrn = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .updater(new Sgd(0.1)).list()
                .layer(new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(2, 2).nOut(3).build())
                .layer(new org.deeplearning4j.nn.conf.layers.LocalResponseNormalization.Builder().build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(3).activation(Activation.IDENTITY)
                        .build())
                .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(4, 4, 1)).build());
        lrn.init();
        Exception e = assertThrows(RuntimeException.class, () -> solver(0).fit(lrn, iterator(x, y, 2)));
        assertTrue(e.getMessage().contains("layer 1") && e.getMessage().contains("LocalResponseNormalization")
                && e.getMessage().contains("not the derivative of its forward pass"), e.getMessage());
    }

    /** BatchNormalization at its running statistics (as EmpiricalNtk takes it): the same solution as the explicit route. */
    @Test
    void batchNormNetworkMatchesTheExplicitRoute() {
        MultiLayerNetwork bn = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(9)
                .dataType(DataType.DOUBLE).updater(new Sgd(0.1)).list()
                .layer(new DenseLayer.Builder().nIn(5).nOut(6).activation(Activation.TANH).build())
                .layer(new BatchNormalization.Builder().nOut(6).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(3).activation(Activation.IDENTITY)
                        .build()).build());
        bn.init();
        INDArray mean = bn.getLayer(1).getParam("mean");
        mean.assign(Nd4j.rand(DataType.DOUBLE, mean.shape()).subi(0.5));    // non-trivial running statistics
        INDArray logStd = bn.getLayer(1).getParam("log10stdev");                // DL4J's default (useLogStd)
        logStd.assign(Nd4j.rand(DataType.DOUBLE, mean.shape()).muli(0.3));
        checkAgainstExplicit(bn, new long[]{5, 5}, 0.0);
    }

    @Test
    void shufflingIteratorIsRefused() {
        MultiLayerNetwork net = TestNets.dense();
        INDArray x = TestNets.input(111, 6, 5);
        INDArray y = targets(112, 6, 3);
        DataSetIterator shuffling = iterator(x, y, 3);
        shuffling.setPreProcessor(new org.nd4j.linalg.dataset.api.DataSetPreProcessor() {
            private int calls;

            @Override
            public void preProcess(org.nd4j.linalg.dataset.api.DataSet ds) {
                if (calls++ >= 2) {                          // from the second pass on, the first minibatch reversed
                    ds.setFeatures(Nd4j.reverse(ds.getFeatures().dup()));
                    ds.setLabels(Nd4j.reverse(ds.getLabels().dup()));
                }
            }
        });
        assertMessage(IllegalStateException.class, () -> solver(0).fit(net, shuffling), "changed between passes");
    }

    // ---------------------------------------------------------------- helpers

    private static void assertMessage(Class<? extends Exception> type, org.junit.jupiter.api.function.Executable run,
                                      String part) {
        Exception e = assertThrows(type, run);
        assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' lacks '" + part + "'");
    }

    /** 5 → 8 (tanh) → k logits (identity, MSE). */
    static MultiLayerNetwork denseNet(int k, DataType type) {
        return denseNet(k, type, 0.05);
    }

    static MultiLayerNetwork denseNet(int k, DataType type, double learningRate) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5).dataType(type)
                .updater(new Sgd(learningRate)).list()
                .layer(new DenseLayer.Builder().nIn(5).nOut(8).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(k).activation(Activation.IDENTITY)
                        .build())
                .build());
        net.init();
        return net;
    }

    private static long inputWidth(ComputationGraph g) {
        return g.getLayer("a").getParam("W").size(0);
    }

    static INDArray targets(long seed, int n, int k) {
        return TestNets.input(seed, n, k);
    }

    static INDArray oneHot(int n, int k) {
        INDArray y = Nd4j.zeros(DataType.DOUBLE, n, k);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, i % k, 1.0);
        }
        return y;
    }

    static DataSetIterator iterator(INDArray x, INDArray y, int batch) {
        return new ListDataSetIterator<>(new DataSet(x, y).asList(), batch);
    }

    static void assertRelativeClose(INDArray expected, INDArray actual, double tol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double err = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).norm2Number().doubleValue();
        double scale = expected.norm2Number().doubleValue();
        assertTrue(err <= tol * scale, what + ": relative error " + err / scale + " > " + tol);
    }
}
