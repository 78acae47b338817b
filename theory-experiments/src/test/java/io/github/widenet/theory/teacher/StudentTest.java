package io.github.widenet.theory.teacher;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The DL4J student against gradient descent written out with plain loops (the reference's update rule). */
class StudentTest {

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @Test
    void symmetrisedInitialOutputIsZero() {
        Problem p = Problem.generate(5, 2, 20, 3, 1);
        MultiLayerNetwork net = Student.build(5, 8, 0.0, 0.1);
        Student.initSymmetric(net, 0.7, new Random(2));
        for (double v : Student.predict(net, p.trainFeatures())) {
            assertEquals(0.0, v, 1e-14);
        }
    }

    @Test
    void oneDl4jStepEqualsThePlainGradientStep() {
        int d = 4, m = 6, n = 9;
        double eta = 0.37, tau = 0.8;
        Problem p = Problem.generate(d, 2, n, 2, 3);
        MultiLayerNetwork net = Student.build(d, m, 0.0, eta);
        Student.initSymmetric(net, tau, new Random(4));
        net.params().addi(Nd4j.rand(DataType.DOUBLE, net.params().shape()).muli(0.1)); // break the symmetry
        net.getLayer(0).getParam("b").assign(0);
        double[][] u = Student.units(net);                          // rows (w_i, b_i, c_i)
        double[][] x = p.trainX();
        double[] y = p.trainY();
        // L = (1/2n) Σ (h_k − y_k)², h_k = Σ_i c_i relu(w_i·x_k); w ← w − η ∂L/∂w, c ← c − η ∂L/∂c
        double[][] expected = new double[m][d + 2];
        for (int i = 0; i < m; i++) {
            expected[i] = u[i].clone();
        }
        double[] h = new double[n];
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < m; i++) {
                h[k] += u[i][d + 1] * Math.max(dot(u[i], x[k], d), 0);
            }
        }
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < n; k++) {
                double r = (h[k] - y[k]) / n;
                double z = dot(u[i], x[k], d);
                expected[i][d + 1] -= eta * r * Math.max(z, 0);
                if (z > 0) {
                    for (int q = 0; q < d; q++) {
                        expected[i][q] -= eta * r * u[i][d + 1] * x[k][q];
                    }
                }
            }
        }
        net.fit(new DataSet(p.trainFeatures(), Nd4j.createFromArray(y).reshape(-1, 1)));
        double[][] actual = Student.units(net);
        for (int i = 0; i < m; i++) {
            for (int q = 0; q < d + 2; q++) {
                assertEquals(expected[i][q], actual[i][q], 1e-12, "unit " + i + ", coordinate " + q);
            }
            assertEquals(0.0, actual[i][d], 0.0, "frozen bias");
        }
    }

    /** The reference's initialisation: ‖w_i‖ = τ, c_i ∈ [0, τ] for the first half, mirrored units, output 0. */
    @Test
    void referenceInitHasUnitNormDirectionsUniformOutputsAndZeroOutput() {
        double tau = 0.2;
        MultiLayerNetwork net = Student.build(2, 16, 0.0, 0.005);
        Student.initReference(net, tau, new java.util.Random(3));
        double[][] u = Student.units(net);
        for (int i = 0; i < 8; i++) {
            assertEquals(tau, Math.hypot(u[i][0], u[i][1]), 1e-12);
            assertTrue(u[i][3] >= 0 && u[i][3] <= tau, "c_" + i + " = " + u[i][3]);
            assertEquals(u[i][0], u[i + 8][0], 0.0);
            assertEquals(u[i][1], u[i + 8][1], 0.0);
            assertEquals(-u[i][3], u[i + 8][3], 0.0);
        }
        Problem p = Problem.generate(2, 3, 15, 20, 1);
        for (double h : Student.predict(net, p.trainFeatures())) {
            assertEquals(0.0, h, 1e-15);
        }
    }

    /** The mass on teacher directions, counted by hand on four units. */
    @Test
    void massNearTeacherCountsUnitsWithinTheAngleAndOfTheTeachersSign() {
        Teacher t = new Teacher(new double[][]{{1, 0}, {0, 1}}, new double[]{1, -1});
        double[][] units = {
                {2, 0, 0, 1},                                   // on θ_1, sign +: mass 2
                {0, 1, 0, -3},                                  // on θ_2, sign −: mass 3
                {Math.cos(0.3), Math.sin(0.3), 0, 1},           // 17° off θ_1: mass 1, not near at 10°
                {1, 0, 0, -4}};                                 // on θ_1 with the wrong sign: mass 4
        assertEquals(5.0 / 10, TeacherDirections.massNear(units, t, 10), 1e-12);
        assertEquals(6.0 / 10, TeacherDirections.massNear(units, t, 20), 1e-12);
    }

    @Test
    void rejectsOddWidth() {
        assertThrows(IllegalArgumentException.class, () -> Student.build(3, 5, 0.0, 0.1));
    }

    private static double dot(double[] unit, double[] x, int d) {
        double s = 0;
        for (int q = 0; q < d; q++) {
            s += unit[q] * x[q];
        }
        return s;
    }
}
