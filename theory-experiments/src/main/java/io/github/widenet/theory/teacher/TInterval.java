package io.github.widenet.theory.teacher;

import org.apache.commons.math3.distribution.TDistribution;

import java.util.Arrays;
import java.util.Locale;

/** Mean over trials with its 95 % Student-t interval (NaN bounds for fewer than two finite values; NaNs left out). */
record TInterval(double mean, double low, double high, int count) {

    static TInterval of(double[] values) {
        double[] v = Arrays.stream(values).filter(Double::isFinite).toArray();
        if (v.length == 0) {
            return new TInterval(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        double m = Arrays.stream(v).average().orElseThrow();
        if (v.length < 2) {
            return new TInterval(m, Double.NaN, Double.NaN, 1);
        }
        double ss = 0;
        for (double x : v) {
            ss += (x - m) * (x - m);
        }
        double half = new TDistribution(v.length - 1).inverseCumulativeProbability(0.975)
                * Math.sqrt(ss / (v.length - 1) / v.length);
        return new TInterval(m, m - half, m + half, v.length);
    }

    /** "mean (95 % CI low–high)" with {@code fmt} for each number; "mean (one trial)" for one value. */
    String text(String fmt) {
        if (count == 0) {
            return "no finite value (every run diverged)";
        }
        if (count < 2) {
            return String.format(Locale.ROOT, fmt + " (one trial, no interval)", mean);
        }
        return String.format(Locale.ROOT, fmt + " (95 %% CI " + fmt + "–" + fmt + ")", mean, low, high);
    }
}
