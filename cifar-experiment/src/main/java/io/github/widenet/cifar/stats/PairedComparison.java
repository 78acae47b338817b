package io.github.widenet.cifar.stats;

import org.apache.commons.math3.util.CombinatoricsUtils;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Two models evaluated on the same test images: the difference of their accuracies with a paired bootstrap interval
 * (resampling images, so the correlation between the two models' errors is kept), McNemar's exact test on the images
 * where exactly one model is right (two-sided binomial test of the discordant counts against 1/2), and the share of
 * images on which both predict the same class.
 *
 * @param difference  accuracy(a) − accuracy(b) with its paired bootstrap percentile interval
 * @param onlyA       images only model a classifies correctly
 * @param onlyB       images only model b classifies correctly
 * @param mcnemarP    two-sided exact McNemar p-value
 * @param agreement   share of images with the same predicted class (NaN when predictions were not given)
 */
public record PairedComparison(Interval difference, long onlyA, long onlyB, double mcnemarP, double agreement) {

    /** Bootstrap resamples used by {@link #of}. */
    public static final int RESAMPLES = 2000;

    /**
     * @param correctA   per image, whether model a is right
     * @param correctB   per image, whether model b is right (same images, same order)
     * @param predictedA per image, model a's class (or null)
     * @param predictedB per image, model b's class (or null)
     * @param level      interval level, e.g. 0.95
     * @param seed       bootstrap seed (results are reproducible)
     */
    public static PairedComparison of(boolean[] correctA, boolean[] correctB, int[] predictedA, int[] predictedB,
                                      double level, long seed) {
        int n = correctA.length;
        if (n == 0 || correctB.length != n) {
            throw new IllegalArgumentException("paired comparison needs the same non-empty test set: " + n + " vs "
                    + correctB.length + " images");
        }
        long onlyA = 0;
        long onlyB = 0;
        int[] diff = new int[n];
        for (int i = 0; i < n; i++) {
            diff[i] = (correctA[i] ? 1 : 0) - (correctB[i] ? 1 : 0);
            onlyA += diff[i] > 0 ? 1 : 0;
            onlyB += diff[i] < 0 ? 1 : 0;
        }
        double estimate = (double) (onlyA - onlyB) / n;
        double[] boot = new double[RESAMPLES];
        SplittableRandom random = new SplittableRandom(seed);
        for (int r = 0; r < RESAMPLES; r++) {
            long s = 0;
            for (int i = 0; i < n; i++) {
                s += diff[random.nextInt(n)];
            }
            boot[r] = (double) s / n;
        }
        Arrays.sort(boot);
        double alpha = (1 - level) / 2;
        Interval d = new Interval(estimate, quantile(boot, alpha), quantile(boot, 1 - alpha), level);
        return new PairedComparison(d, onlyA, onlyB, mcnemarExact(onlyA, onlyB), agreement(predictedA, predictedB));
    }

    /** Two-sided exact McNemar p-value: 2·P(X ≤ min(b, c)) for X ~ Binomial(b + c, 1/2), capped at 1. */
    public static double mcnemarExact(long onlyA, long onlyB) {
        long discordant = onlyA + onlyB;
        if (discordant == 0) {
            return 1.0;
        }
        // summed in log space from the largest term down: 1 − (upper tail) would cancel to 0 below about 1e-16
        long m = Math.min(onlyA, onlyB);
        int n = (int) discordant;
        double logTop = CombinatoricsUtils.binomialCoefficientLog(n, (int) m) - n * Math.log(2);
        double sum = 0;
        for (long k = m; k >= 0; k--) {
            double term = Math.exp(CombinatoricsUtils.binomialCoefficientLog(n, (int) k) - n * Math.log(2) - logTop);
            sum += term;
            if (term < 1e-18 * sum) {
                break;                      // terms fall geometrically below the mode: the rest cannot matter
            }
        }
        return Math.min(1.0, 2 * Math.exp(logTop + Math.log(sum)));
    }

    private static double agreement(int[] a, int[] b) {
        if (a == null || b == null) {
            return Double.NaN;
        }
        if (a.length != b.length) {
            throw new IllegalArgumentException("predictions of " + a.length + " and " + b.length + " images");
        }
        long same = 0;
        for (int i = 0; i < a.length; i++) {
            same += a[i] == b[i] ? 1 : 0;
        }
        return (double) same / a.length;
    }

    /** Linear interpolation between order statistics (type 7). */
    private static double quantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /** Whether the interval of the difference excludes 0 (a difference at the interval's level). */
    public boolean significant() {
        return difference.excludes(0);
    }

    /**
     * One sentence from the numbers, the winner first and the gap as winner − loser: "a beats b by 17.3 points (95% CI
     * 16.1 to 18.5; McNemar p = 3.0e-40)", or "no significant difference between a and b (−0.4 points, 95% CI −1.5 to 0.7;
     * McNemar p = 0.52)".
     */
    public String sentence(String a, String b) {
        String p = PValue.relation(mcnemarP);
        if (!significant()) {
            return "no significant difference between " + a + " and " + b + " (" + describe(difference)
                    + "; McNemar p " + p + ")";
        }
        boolean aWins = difference.estimate() > 0;
        Interval gap = aWins ? difference : new Interval(-difference.estimate(), -difference.high(), -difference.low(),
                difference.level());
        return (aWins ? a + " beats " + b : b + " beats " + a) + " by " + describe(gap).replaceFirst("^\\+", "")
                + "; McNemar p " + p;
    }

    private static String describe(Interval d) {
        return d.points().replace(" (", ", ").replace(")", "");
    }
}
