package io.github.widenet.theory.teacher;

import java.util.Random;

/**
 * The teacher: a two-layer ReLU network without biases, f*(x) = Σ_j s_j · max(θ_j·x, 0), with m0 unit directions
 * ‖θ_j‖ = 1 drawn uniformly on the sphere and signs s_j = ±1 with probability 1/2 each. Evaluated with plain loops.
 *
 * @param directions m0 × d, unit rows θ_j
 * @param signs      m0 output weights s_j ∈ {−1, +1}
 */
public record Teacher(double[][] directions, double[] signs) {

    /** A random teacher of {@code m0} units in dimension {@code d}. */
    public static Teacher random(int m0, int d, Random rng) {
        if (m0 < 1 || d < 1) {
            throw new IllegalArgumentException("teacher needs m0 >= 1 units and d >= 1, got m0=" + m0 + ", d=" + d);
        }
        double[][] theta = Sphere.sample(m0, d, rng);
        double[] s = new double[m0];
        for (int j = 0; j < m0; j++) {
            s[j] = rng.nextGaussian() >= 0 ? 1.0 : -1.0;
        }
        return new Teacher(theta, s);
    }

    public int units() {
        return signs.length;
    }

    /** How the reports describe the reference's teacher: "As the reference: per trial a teacher of m0 unit …". */
    static String asTheReference(int m0) {
        return "As the reference: per trial a teacher of " + m0 + " unit directions with ±1 output weights";
    }

    public int dimension() {
        return directions[0].length;
    }

    /** f*(x) for one point. */
    public double value(double[] x) {
        double y = 0;
        for (int j = 0; j < signs.length; j++) {
            double z = 0;
            for (int q = 0; q < x.length; q++) {
                z += directions[j][q] * x[q];
            }
            y += signs[j] * Math.max(z, 0);
        }
        return y;
    }

    /** f*(x_i) for every row. */
    public double[] labels(double[][] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = value(x[i]);
        }
        return y;
    }
}
