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
