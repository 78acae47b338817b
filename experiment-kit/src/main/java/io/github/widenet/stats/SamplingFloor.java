package io.github.widenet.stats;

import io.github.widenet.report.Histogram;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The sampling floor of a 1-Wasserstein distance: the law of the distance between samples that differ by sampling
 * alone, from R independent draws F_1 … F_R (at least {@link #MIN_DRAWS} where a conclusion is drawn), and the test
 * that decides whether an observed distance exceeds it:
 * <pre>
 *     floor   = F̄ (mean of the draws), with its 95 % range [q_0.025(F), q_0.975(F)]
 *     upper_k = F̄ + t_{0.975, R−1} · s_F · √(1/k + 1/R)        (k = runs averaged)
 *     verdict(D̄_end, D̄_0) = UNRELIABLE  if D̄_0 &gt; upper_k   (the same test fires on the starting samples, which
 *                                                             differ by sampling alone: the yardstick does not hold)
 *                          = EXCEEDS     if D̄_end &gt; upper_k
 *                          = WITHIN      otherwise
 * </pre>
 * with D̄ the mean over the k runs: upper_k is the one-sided 97.5 % prediction bound for the mean of k new draws (normal
 * theory; it accounts for the floor's own estimate from R draws), so each test fires on pure sampling noise in about
 * 2.5 % of cases.
 */
public final class SamplingFloor {

    /** Draws needed before a verdict is reported. */
    public static final int MIN_DRAWS = 30;

    /** An initial law: a sampler of n values. */
    public interface Law {
        double[] sample(int n, SplittableRandom random);

        /** N(0, std²) (Box–Muller). */
        static Law gaussian(double std) {
            return (n, random) -> {
                double[] x = new double[n];
                for (int i = 0; i < n; i += 2) {
                    double r = Math.sqrt(-2 * Math.log(1 - random.nextDouble()));
                    double t = 2 * Math.PI * random.nextDouble();
                    x[i] = std * r * Math.cos(t);
                    if (i + 1 < n) {
                        x[i + 1] = std * r * Math.sin(t);
                    }
                }
                return x;
            };
        }

        /** ‖w‖ for w ~ N(0, std² I_d): std·√χ²_d, χ²_d = Gamma(d/2, 2). */
        static Law gaussianNorm(int d, double std) {
            return (n, random) -> {
                var chi2 = new org.apache.commons.math3.distribution.GammaDistribution(
                        new org.apache.commons.math3.random.Well19937c(random.nextLong()), d / 2.0, 2.0);
                double[] x = new double[n];
                for (int i = 0; i < n; i++) {
                    x[i] = std * Math.sqrt(chi2.sample());
                }
                return x;
            };
        }
    }

    /** Outcome of {@link #test}. */
    public enum Verdict {
        WITHIN("within the sampling floor"),
        EXCEEDS("exceeds the sampling floor"),
        UNRELIABLE("not decided: the starting samples already exceed the floor, so the floor's law does not describe them");

        private final String words;

        Verdict(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    private final double[] sorted;

    private SamplingFloor(double[] sorted) {
        this.sorted = sorted;
    }

    /** The floor of the given draws of the distance (any order; finite, at least one). */
    public static SamplingFloor of(double[] draws) {
        if (draws.length == 0) {
            throw new IllegalArgumentException("a sampling floor needs at least one draw");
        }
        for (double d : draws) {
            if (!Double.isFinite(d) || d < 0) {
                throw new IllegalArgumentException("a W1 draw must be finite and >= 0, got " + d);
            }
        }
        double[] s = draws.clone();
        Arrays.sort(s);
        return new SamplingFloor(s);
    }

    /**
     * R draws of W1(sample of n·perUnit values, independent sample of nMax·perUnit values) of {@code law}: what two
     * widths n and nMax differ by from sampling alone (perUnit = values per unit, e.g. k output weights pooled).
     */
    public static SamplingFloor twoSample(Law law, int n, int nMax, int perUnit, int draws, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] w = new double[draws];
        for (int r = 0; r < draws; r++) {
            double[] a = law.sample(n * perUnit, random);
            double[] b = law.sample(nMax * perUnit, random);
            w[r] = Histogram.wasserstein1(a, b);
        }
        return of(w);
    }

    /** The floor of zero width: every draw 0 (e.g. against itself, or a point mass). */
    public static SamplingFloor zero() {
        return new SamplingFloor(new double[]{0});
    }

    public int draws() {
        return sorted.length;
    }

    public double mean() {
        return Arrays.stream(sorted).average().orElseThrow();
    }

    /** 2.5 % quantile of one draw. */
    public double low() {
        return Histogram.quantile(sorted, 0.025);
    }

    /** 97.5 % quantile of one draw. */
    public double high() {
        return Histogram.quantile(sorted, 0.975);
    }

    /** 97.5 % prediction bound for the mean of k new draws: F̄ + t_{0.975, R−1}·s_F·√(1/k + 1/R) (see the class). */
    public double upper(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        int r = sorted.length;
        if (r < 2) {
            return sorted[0];
        }
        double m = mean();
        double ss = 0;
        for (double x : sorted) {
            ss += (x - m) * (x - m);
        }
        double sd = Math.sqrt(ss / (r - 1));
        double t = new org.apache.commons.math3.distribution.TDistribution(r - 1).inverseCumulativeProbability(0.975);
        return m + t * sd * Math.sqrt(1.0 / k + 1.0 / r);
    }

    /**
     * The verdict for the distances of k runs at the end ({@code end}) and at the start ({@code start}, the same
     * comparison made on samples that differ by sampling alone), each compared through its mean with
     * {@link #upper}(k); an error with fewer than {@link #MIN_DRAWS} draws or unequal run counts.
     */
    public Verdict test(double[] end, double[] start) {
        return test(end, this, start);
    }

    /**
     * As {@link #test(double[], double[])} when the start has its own floor (e.g. the law at time 0 of an evolving
     * distribution): the start's mean against {@code startFloor}'s bound, the end's against this floor's.
     */
    public Verdict test(double[] end, SamplingFloor startFloor, double[] start) {
        for (SamplingFloor f : new SamplingFloor[]{this, startFloor}) {
            if (f.sorted.length < MIN_DRAWS) {
                throw new IllegalStateException("a verdict needs at least " + MIN_DRAWS + " draws of the floor, got "
                        + f.sorted.length);
            }
        }
        if (end.length == 0 || end.length != start.length) {
            throw new IllegalArgumentException("need the same number (>= 1) of runs at the end and at the start, got "
                    + end.length + " and " + start.length);
        }
        if (mean(start) > startFloor.upper(start.length)) {
            return Verdict.UNRELIABLE;
        }
        return mean(end) > upper(end.length) ? Verdict.EXCEEDS : Verdict.WITHIN;
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElseThrow();
    }
}
