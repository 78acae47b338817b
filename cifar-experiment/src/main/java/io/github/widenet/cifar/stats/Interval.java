package io.github.widenet.cifar.stats;

import java.util.Locale;

/** A point estimate with a confidence interval [low, high] at {@code level} (e.g. 0.95). */
public record Interval(double estimate, double low, double high, double level) {

    /** Whether the interval excludes {@code value}. */
    public boolean excludes(double value) {
        return value < low || value > high;
    }

    /** "45.2% (95% CI 44.2–46.2)" for proportions shown as percentages. */
    public String percent() {
        return String.format(Locale.ROOT, "%.1f%% (%.0f%% CI %.1f–%.1f)", 100 * estimate, 100 * level, 100 * low,
                100 * high);
    }

    /** "+17.3 points (95% CI 16.1–18.5)" for differences of proportions. */
    public String points() {
        return String.format(Locale.ROOT, "%+.1f points (%.0f%% CI %.1f to %.1f)", 100 * estimate, 100 * level,
                100 * low, 100 * high);
    }
}
