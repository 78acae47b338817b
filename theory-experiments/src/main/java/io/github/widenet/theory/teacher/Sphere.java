package io.github.widenet.theory.teacher;

import java.util.Random;

/** Points drawn uniformly on the unit sphere S^(d−1): normalised standard Gaussian vectors x = g/‖g‖. */
public final class Sphere {

    private Sphere() {
    }

    /** n × d, unit rows. */
    public static double[][] sample(int n, int d, Random rng) {
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int q = 0; q < d; q++) {
                x[i][q] = rng.nextGaussian();
                norm += x[i][q] * x[i][q];
            }
            norm = Math.sqrt(norm);
            for (int q = 0; q < d; q++) {
                x[i][q] /= norm;
            }
        }
        return x;
    }
}
