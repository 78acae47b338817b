package io.github.widenet.theory.pde;

import java.util.List;

/**
 * The step-size extrapolation ε → 0 of SGD's distance to the PDE at one width and seed: the time-averaged
 * W1(ε) = mean over t &gt; 0 of W1(ρ̂_N(t), ρ_t) at each ε, fitted by least squares as W1 = a + b·ε (a: the
 * extrapolated W1 at ε = 0, to be compared with the sampling floor of N units; b·ε: the part a step ε adds), and the
 * observed order p of W1 ∝ ε^p over the range (least squares on the logarithms).
 *
 * @param eps    the ε values, ascending
 * @param w1     the time-averaged W1 at each ε
 * @param linear fit in ε: {a, b, largest |residual|}
 * @param order  the log-log slope p
 */
record EpsExtrapolation(double[] eps, double[] w1, double[] linear, double order) {

    /** Fits both lines to the time-averaged W1 of {@code points} at {@code width} and {@code seed}, one per ε. */
    static EpsExtrapolation of(List<Comparison.Point> points, int width, long seed, double[] epsValues) {
        double[] eps = epsValues.clone();
        java.util.Arrays.sort(eps);
        double[] w1 = new double[eps.length];
        for (int i = 0; i < eps.length; i++) {
            double s = 0;
            int c = 0;
            for (Comparison.Point p : points) {
                if (p.width() == width && p.seed() == seed && p.eps() == eps[i] && p.time() > 0) {
                    s += p.w1();
                    c++;
                }
            }
            if (c == 0) {
                throw new IllegalStateException("no SGD run at N = " + width + ", seed " + seed + ", eps " + eps[i]);
            }
            w1[i] = s / c;
        }
        double[] logEps = new double[eps.length];
        double[] logW1 = new double[eps.length];
        for (int i = 0; i < eps.length; i++) {
            logEps[i] = Math.log(eps[i]);
            logW1[i] = Math.log(w1[i]);
        }
        return new EpsExtrapolation(eps, w1, line(eps, w1), line(logEps, logW1)[1]);
    }

    /** Least-squares line y = a + b·x: {a, b, max |y − a − b·x|}. */
    static double[] line(double[] x, double[] y) {
        if (x.length < 2) {
            throw new IllegalArgumentException("a line needs at least two points, got " + x.length);
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < x.length; i++) {
            mx += x[i] / x.length;
            my += y[i] / x.length;
        }
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        double b = sxy / sxx;
        double a = my - b * mx;
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            worst = Math.max(worst, Math.abs(y[i] - a - b * x[i]));
        }
        return new double[]{a, b, worst};
    }
}
