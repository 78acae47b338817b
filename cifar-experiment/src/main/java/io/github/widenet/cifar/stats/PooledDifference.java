package io.github.widenet.cifar.stats;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The difference of two models' accuracies averaged over several runs (seeds), each run pairing the two models on its
 * own test images: mean over runs of (accuracy(a) − accuracy(b)), with a stratified paired bootstrap interval
 * (images are resampled within each run, keeping each image's pair of outcomes together). It covers the sampling of
 * test images, not the spread between seeds, which the report shows separately.
 */
public final class PooledDifference {

    /** Bootstrap resamples. */
    public static final int RESAMPLES = 2000;

    private PooledDifference() {
    }

    /**
     * @param correctA per run, per image whether model a is right
     * @param correctB per run, per image whether model b is right (same images, same order)
     */
    public static Interval of(List<boolean[]> correctA, List<boolean[]> correctB, double level, long seed) {
        if (correctA.isEmpty() || correctA.size() != correctB.size()) {
            throw new IllegalArgumentException("need the same non-empty list of runs for both models: "
                    + correctA.size() + " vs " + correctB.size());
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level must be in (0, 1), got " + level);
        }
        int runs = correctA.size();
        int[][] diff = new int[runs][];
        double estimate = 0;
        for (int s = 0; s < runs; s++) {
            boolean[] a = correctA.get(s);
            boolean[] b = correctB.get(s);
            if (a.length == 0 || a.length != b.length) {
                throw new IllegalArgumentException("run " + (s + 1) + ": " + a.length + " vs " + b.length + " images");
            }
            diff[s] = new int[a.length];
            long sum = 0;
            for (int i = 0; i < a.length; i++) {
                diff[s][i] = (a[i] ? 1 : 0) - (b[i] ? 1 : 0);
                sum += diff[s][i];
            }
            estimate += (double) sum / a.length / runs;
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] boot = new double[RESAMPLES];
        for (int r = 0; r < RESAMPLES; r++) {
            double mean = 0;
            for (int[] d : diff) {
                long sum = 0;
                for (int i = 0; i < d.length; i++) {
                    sum += d[random.nextInt(d.length)];
                }
                mean += (double) sum / d.length / runs;
            }
            boot[r] = mean;
        }
        Arrays.sort(boot);
        double tail = (1 - level) / 2;
        return new Interval(estimate, quantile(boot, tail), quantile(boot, 1 - tail), level);
    }

    /** Linear interpolation between order statistics (type 7). */
    private static double quantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
