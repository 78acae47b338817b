package io.github.widenet.theory.teacher;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pieces of the reference protocols checked independently: test_vs_m.jl's gradient (finite differences in double),
 * its step sizes, initialisation, teacher and data; populationSGD.jl's update directions, initialisation and teacher.
 */
class ReferenceProtocolTest {

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    @Test
    void gdGradientMatchesCentralDifferences() {
        Problem p = Problem.generate(6, 3, 25, 10, 3);
        ReferenceGd gd = new ReferenceGd(p.trainX(), WidthSweep.scaled(p.trainY(), 100), p.testX(), p.testY());
        for (double alpha : new double[]{1 / Math.sqrt(5), 1.0 / 5}) {
            double[][] w = ReferenceGd.gaussianInit(5, 6, new Random(4));
            double[][] g = new double[5][7];
            gd.lossAndGradient(w, alpha, g);
            // L is piecewise quadratic in w (exact central differences away from ReLU kinks); a larger step keeps the
            // rounding of a loss of order 10^3 small
            double eps = 1e-4;
            double worst = 0;
            double gmax = 0;
            for (double[] row : g) {
                for (double v : row) {
                    gmax = Math.max(gmax, Math.abs(v));
                }
            }
            for (int i = 0; i < 5; i++) {
                for (int q = 0; q <= 6; q++) {
                    double[][] a = copy(w);
                    double[][] b = copy(w);
                    a[i][q] += eps;
                    b[i][q] -= eps;
                    double fd = (gd.lossAndGradient(a, alpha, null) - gd.lossAndGradient(b, alpha, null)) / (2 * eps);
                    double e = Math.abs(fd - g[i][q]) / Math.max(1e-4 * gmax, Math.abs(fd));
                    worst = Math.max(worst, e);
                }
            }
            assertTrue(worst < 1e-6, "alpha " + alpha + ": worst relative error " + worst);
        }
    }

    @Test
    void oneIterationIsGradientDescentWithTheReferenceLearningRate() {
        Problem p = Problem.generate(4, 2, 12, 6, 8);
        ReferenceGd gd = new ReferenceGd(p.trainX(), p.trainY(), p.testX(), p.testY());
        int m = 6;
        for (boolean ntk : new boolean[]{true, false}) {
            double alpha = ntk ? 1 / Math.sqrt(m) : 1.0 / m;
            double eta = ReferenceGd.learningRate(alpha, m, ntk ? 1 : 0.05);
            // reference: s = c/m and W <- W - (s/alpha) G with G = grad L / alpha, i.e. eta = s / alpha^2
            assertEquals(ntk ? 1.0 : 0.05 * m, eta, 1e-12);
            double[][] w0 = ReferenceGd.gaussianInit(m, 4, new Random(9));
            double[][] g = new double[m][5];
            gd.lossAndGradient(w0, alpha, g);
            double[][] w = copy(w0);
            // two iterations: the first updates, the second only measures (as the reference's last iteration)
            ReferenceGd.Outcome o = gd.run(w, alpha, eta, 2, 1, new ReferenceGd.Criterion(1, 0, 0), false, null, null);
            for (int i = 0; i < m; i++) {
                for (int q = 0; q <= 4; q++) {
                    assertEquals(w0[i][q] - eta * g[i][q], w[i][q], 1e-12);
                }
            }
            assertEquals(gd.lossAndGradient(w, alpha, null), o.trainLoss(), 1e-12);
            assertEquals(gd.testLoss(w, alpha), o.testLoss(), 1e-12);
            assertEquals(2, o.iterations());
        }
    }

    @Test
    void blasRunFollowsThePlainLoopIterationForManySteps() {
        Problem p = Problem.generate(30, 3, 200, 150, 6);
        ReferenceGd gd = new ReferenceGd(p.trainX(), WidthSweep.scaled(p.trainY(), 100), p.testX(), p.testY());
        int iterations = 60;
        for (int m : new int[]{7, 40}) {
            for (boolean ntk : new boolean[]{true, false}) {
                double alpha = ntk ? 1 / Math.sqrt(m) : 1.0 / m;
                double eta = ReferenceGd.learningRate(alpha, m, ntk ? 1 : 0.05);
                double[][] w0 = ReferenceGd.gaussianInit(m, 30, new Random(m));
                double[][] loop = copy(w0);                 // plain loops: w <- w - eta grad L, 59 updates
                double[][] g = new double[m][31];
                for (int t = 1; t < iterations; t++) {
                    gd.lossAndGradient(loop, alpha, g);
                    for (int i = 0; i < m; i++) {
                        for (int q = 0; q <= 30; q++) {
                            loop[i][q] -= eta * g[i][q];
                        }
                    }
                }
                double[][] w = copy(w0);
                ReferenceGd.Outcome o = gd.run(w, alpha, eta, iterations, 7, new ReferenceGd.Criterion(5, 0, 0), false,
                        null, null);
                double worst = 0;
                double scale = 0;
                for (int i = 0; i < m; i++) {
                    for (int q = 0; q <= 30; q++) {
                        worst = Math.max(worst, Math.abs(w[i][q] - loop[i][q]));
                        scale = Math.max(scale, Math.abs(loop[i][q] - w0[i][q]));
                    }
                }
                assertTrue(scale > 1e-3, "the weights moved: " + scale);
                assertTrue(worst < 1e-9 * Math.max(1, scale), "m " + m + " ntk " + ntk + ": BLAS vs loops " + worst);
                double l = gd.lossAndGradient(loop, alpha, null);
                assertEquals(l, o.trainLoss(), 1e-10 * l);
                assertEquals(gd.testLoss(loop, alpha), o.testLoss(), 1e-10 * o.testLoss());
            }
        }
    }

    @Test
    void scaleSweepGdEqualsDl4jFitOfTheStudent() {
        // teacher-scale trains with ReferenceGd from the DL4J student's initial weights; DL4J's own full-batch fit of
        // the same student (WidthScaledLayer, MSE, Sgd) must give the same losses
        org.nd4j.linalg.factory.Nd4j.setDefaultDataTypes(org.nd4j.linalg.api.buffer.DataType.DOUBLE,
                org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        Problem p = Problem.generate(5, 3, 30, 20, 11);
        int steps = 40;
        for (double tau : new double[]{0.3, 3}) {
            double step = Math.min(10, 0.1 / (tau * tau));
            org.deeplearning4j.nn.multilayer.MultiLayerNetwork net = Student.build(5, 6, 0.0, step);
            Student.initSymmetric(net, tau, new Random(5));
            double[][] w = ScaleSweep.weights(net);
            FullBatchGd.Trace dl4j = new FullBatchGd(p.trainFeatures(), p.trainY(), p.testFeatures(), p.testY())
                    .run(net, steps, 1, null);
            ReferenceGd.Outcome blas = p.referenceGd().run(w, 1.0, step, steps + 1, 1,
                    new ReferenceGd.Criterion(1, 0, 0), false, null, null);
            assertTrue(dl4j.finalTrainLoss() < 0.9 * blas.zeroTrainLoss() || tau > 1, "trained: " + dl4j);
            assertEquals(dl4j.finalTrainLoss(), blas.trainLoss(), 1e-9 * dl4j.finalTrainLoss(), "tau " + tau);
            assertEquals(dl4j.finalTestLoss(), blas.testLoss(), 1e-9 * dl4j.finalTestLoss(), "tau " + tau);
            assertEquals(dl4j.bestTestLoss(), blas.bestTestLoss(), 1e-9 * dl4j.bestTestLoss(), "tau " + tau);
        }
    }

    @Test
    void referenceInitIsStandardGaussianWithoutSymmetrisation() {
        double[][] w = ReferenceGd.gaussianInit(400, 100, new Random(1));
        double s = 0, ss = 0;
        int n = 0;
        for (double[] row : w) {
            assertEquals(101, row.length);
            for (double v : row) {
                s += v;
                ss += v * v;
                n++;
            }
        }
        assertEquals(0, s / n, 0.01);
        assertEquals(1, ss / n, 0.01);
        assertFalse(java.util.Arrays.equals(w[0], w[200]), "no mirrored halves");
    }

    @Test
    void teacherAndDataAreOnTheSphereWithOutputsTimes100() {
        WidthSweep o = new WidthSweep();
        picocli.CommandLine cl = new picocli.CommandLine(o);
        cl.parseArgs("--dim", "7", "--train", "20", "--test", "5");
        o.dim = 7;
        o.teacherUnits = 3;
        o.seed = 2;
        Problem p = new WidthReference(o).problem(1);
        for (double[] x : p.trainX()) {
            double n2 = 0;
            for (double v : x) {
                n2 += v * v;
            }
            assertEquals(1, n2, 1e-12);
        }
        for (double[] th : p.teacher().directions()) {
            double n2 = 0;
            for (double v : th) {
                n2 += v * v;
            }
            assertEquals(1, n2, 1e-12);
        }
        assertEquals(3, p.teacher().units());
        for (double s : p.teacher().signs()) {
            assertEquals(1, Math.abs(s));
        }
        for (int j = 0; j < 20; j++) {
            assertEquals(100 * p.teacher().value(p.trainX()[j]), p.trainY()[j], 1e-10);
        }
        assertEquals(20, p.trainY().length);
        assertEquals(5, p.testY().length);
    }

    @Test
    void convergenceCriterionUsesTheWindowAndTheFitFloor() {
        ReferenceGd.Criterion c = new ReferenceGd.Criterion(2, 0.01, 1e-6);
        double[] loss = {0, 10, 5, 4.99, 4.98};
        assertFalse(c.holds(loss, 2, 100));               // no window yet
        assertFalse(c.holds(loss, 3, 100));               // 10 -> 4.99: a large fall
        assertTrue(c.holds(loss, 4, 100));                // 5 -> 4.98: 0.4 %
        assertTrue(c.holds(new double[]{0, 1e-9}, 1, 100)); // fitted
    }

    @Test
    void populationSgdDirectionsAreMTimesTheGradient() {
        Teacher t = Teacher.random(3, 5, new Random(2));
        PopulationSgd sgd = new PopulationSgd(t, 1.0 / 7);
        int m = 6;
        int b = 7;
        double[][] u = PopulationSgd.init(m, 5, 0.8, new Random(3));
        for (int i = 0; i < m; i++) {                     // break the symmetry so every gradient is non-trivial
            u[i][5] += 0.1 * (i + 1);
        }
        double[] x = sgd.batch(b, new SplittableRandom(4));
        double[] y = sgd.targets(x, b);
        double[][] g = new double[m][6];
        sgd.lossAndDirections(u, x, y, b, g);
        double eps = 1e-6;
        double worst = 0;
        for (int i = 0; i < m; i++) {
            for (int q = 0; q <= 5; q++) {
                double[][] a = copy(u);
                double[][] c = copy(u);
                a[i][q] += eps;
                c[i][q] -= eps;
                double fd = (sgd.lossAndDirections(a, x, y, b, null) - sgd.lossAndDirections(c, x, y, b, null)) / (2 * eps);
                worst = Math.max(worst, Math.abs(m * fd - g[i][q]) / Math.max(1e-4, Math.abs(m * fd)));
            }
        }
        assertTrue(worst < 1e-6, "worst relative error " + worst);
        for (int j = 0; j < b; j++) {
            double[] xj = java.util.Arrays.copyOfRange(x, j * 5, j * 5 + 5);
            assertEquals(t.value(xj) / 7, y[j], 1e-12);
            double n2 = 0;
            for (double v : xj) {
                n2 += v * v;
            }
            assertEquals(1, n2, 1e-12);
        }
    }

    @Test
    void populationInitIsSymmetrisedAtScaleTau() {
        double[][] u = PopulationSgd.init(8, 3, 0.5, new Random(1));
        for (int i = 0; i < 4; i++) {
            assertTrue(u[i][3] >= 0);
            assertEquals(-u[i][3], u[i + 4][3]);
            for (int q = 0; q < 3; q++) {
                assertEquals(u[i][q], u[i + 4][q]);
            }
        }
        Teacher t = Teacher.random(2, 3, new Random(5));
        PopulationSgd sgd = new PopulationSgd(t, 1);
        double[] x = sgd.batch(4, new SplittableRandom(1));
        double[] y = new double[4];
        assertEquals(0, sgd.lossAndDirections(u, x, y, 4, null), 1e-30, "h(w0) = 0");
        double[] big = PopulationSgd.init(2000, 50, 0.5, new Random(2))[0];
        double ss = 0;
        for (int q = 0; q < 50; q++) {
            ss += big[q] * big[q];
        }
        assertEquals(0.25, ss / 50, 0.12);
    }

    @Test
    void referenceTausAreTheSeventeenOfPopulationSgdJl() {
        assertEquals(17, PopulationSweep.REFERENCE_TAUS.size());
        assertEquals(0.01, PopulationSweep.REFERENCE_TAUS.get(0));
        assertEquals(0.1, PopulationSweep.REFERENCE_TAUS.get(3), 1e-12);
        assertEquals(Math.pow(10, -0.5), PopulationSweep.REFERENCE_TAUS.get(8), 1e-12);
        assertEquals(1.0, PopulationSweep.REFERENCE_TAUS.get(13), 1e-12);
        assertEquals(8.0, PopulationSweep.REFERENCE_TAUS.get(16));
    }
}
