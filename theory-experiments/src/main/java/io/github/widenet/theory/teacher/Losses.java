package io.github.widenet.theory.teacher;

/** The square loss used throughout: L(f) = (1/2n) Σ_i (f_i − y_i)². */
public final class Losses {

    private Losses() {
    }

    public static double halfMse(double[] f, double[] y) {
        if (f.length != y.length) {
            throw new IllegalArgumentException(f.length + " predictions for " + y.length + " labels");
        }
        double s = 0;
        for (int i = 0; i < f.length; i++) {
            double r = f[i] - y[i];
            s += r * r;
        }
        return s / (2.0 * f.length);
    }
}
