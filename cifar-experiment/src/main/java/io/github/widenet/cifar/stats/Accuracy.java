package io.github.widenet.cifar.stats;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Accuracy k/n with the Wilson score interval (Wilson 1927), which keeps its coverage near 0 and 1 and for small n:
 * centre (p̂ + z²/2n)/(1 + z²/n), half-width z·√(p̂(1 − p̂)/n + z²/4n²)/(1 + z²/n), z the (1 + level)/2 normal quantile.
 */
public final class Accuracy {

    private Accuracy() {
    }

    /** The Wilson interval of {@code correct} successes in {@code n} trials. */
    public static Interval wilson(long correct, long n, double level) {
        if (n <= 0 || correct < 0 || correct > n) {
            throw new IllegalArgumentException("need 0 <= correct <= n and n > 0, got " + correct + " of " + n);
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level must be in (0, 1), got " + level);
        }
        double z = new NormalDistribution().inverseCumulativeProbability((1 + level) / 2);
        double p = (double) correct / n;
        double z2n = z * z / n;
        double centre = (p + z2n / 2) / (1 + z2n);
        double half = z * Math.sqrt(p * (1 - p) / n + z2n / (4.0 * n)) / (1 + z2n);
        return new Interval(p, Math.max(0, centre - half), Math.min(1, centre + half), level);
    }

    /** The Wilson interval of the share of true entries. */
    public static Interval wilson(boolean[] correct, double level) {
        long k = 0;
        for (boolean c : correct) {
            k += c ? 1 : 0;
        }
        return wilson(k, correct.length, level);
    }
}
