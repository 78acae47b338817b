package io.github.widenet.cifar;

import java.util.Locale;

/**
 * Wilson score interval of a binomial proportion (here a test accuracy measured on n examples), 95% by default:
 * centre (p̂ + z²/2n)/(1 + z²/n), half-width z/(1 + z²/n)·√(p̂(1 − p̂)/n + z²/4n²). Unlike p̂ ± z·√(p̂(1−p̂)/n) it stays
 * inside [0, 1] and is sensible at p̂ = 0 or 1.
 */
public record WilsonInterval(double estimate, int n, double lo, double hi) {

    /** z of a two-sided 95% interval. */
    public static final double Z95 = 1.959963984540054;

    /** The 95% interval of an accuracy {@code p} measured on {@code n} examples. */
    public static WilsonInterval of(double p, int n) {
        if (n < 1 || !(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("need n >= 1 and 0 <= p <= 1, got n=" + n + ", p=" + p);
        }
        double z2 = Z95 * Z95;
        double denom = 1 + z2 / n;
        double centre = (p + z2 / (2.0 * n)) / denom;
        double half = Z95 / denom * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return new WilsonInterval(p, n, Math.max(0, centre - half), Math.min(1, centre + half));
    }

    /** Whether the two intervals are disjoint (a conservative test of a difference at the 5% level). */
    public boolean separatedFrom(WilsonInterval other) {
        return hi < other.lo || other.hi < lo;
    }

    /** "0.6120 [0.5906, 0.6330]". */
    public String format() {
        return String.format(Locale.ROOT, "%.4f [%.4f, %.4f]", estimate, lo, hi);
    }
}
