package io.github.widenet.report;

import java.util.Arrays;

/**
 * Counts of a sample on fixed bin edges e_0 < e_1 < … < e_B. Values below e_0 or above e_B are folded into the first or
 * last bin, so the counts always sum to the sample size n. Several samples histogrammed on the same edges can be compared
 * bin by bin and with {@link #wasserstein1(Histogram)}.
 */
public final class Histogram {

    private final double[] edges;
    private final long[] counts;

    private Histogram(double[] edges, long[] counts) {
        this.edges = edges;
        this.counts = counts;
    }

    /** Histogram of {@code values} on the given edges (strictly increasing, at least two). */
    public static Histogram of(double[] values, double[] edges) {
        checkEdges(edges);
        long[] counts = new long[edges.length - 1];
        for (double v : values) {
            if (Double.isNaN(v)) {
                throw new IllegalArgumentException("cannot histogram NaN values");
            }
            counts[bin(edges, v)]++;
        }
        return new Histogram(edges.clone(), counts);
    }

    /** A histogram from given counts on given edges (e.g. read back from CSV). */
    public static Histogram ofCounts(double[] edges, long[] counts) {
        checkEdges(edges);
        if (counts.length != edges.length - 1) {
            throw new IllegalArgumentException("need " + (edges.length - 1) + " counts for " + edges.length
                    + " edges, got " + counts.length);
        }
        return new Histogram(edges.clone(), counts.clone());
    }

    /** Index of the bin holding v, with out-of-range values folded into the end bins. */
    static int bin(double[] edges, double v) {
        int bins = edges.length - 1;
        if (v <= edges[0]) {
            return 0;
        }
        if (v >= edges[bins]) {
            return bins - 1;
        }
        int i = Arrays.binarySearch(edges, v);
        return i >= 0 ? Math.min(i, bins - 1) : -i - 2;
    }

    /** {@code bins} equal-width bins spanning [lo, hi]. */
    public static double[] uniformEdges(double lo, double hi, int bins) {
        if (!(hi > lo) || Double.isInfinite(lo) || Double.isInfinite(hi)) {
            throw new IllegalArgumentException("need finite lo < hi, got [" + lo + ", " + hi + "]");
        }
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be >= 1, got " + bins);
        }
        double[] e = new double[bins + 1];
        for (int i = 0; i <= bins; i++) {
            e[i] = lo + (hi - lo) * i / bins;
        }
        e[bins] = hi;
        return e;
    }

    /**
     * Common edges for several samples: equal-width bins between the {@code clip} and 1−{@code clip} quantiles of all
     * samples pooled (each sample weighted equally), so that a few outliers do not squeeze the bulk into one bin. With
     * clip = 0 the range is the pooled min and max. A degenerate range is widened by ±0.5.
     */
    public static double[] commonEdges(int bins, double clip, double[]... samples) {
        if (!(clip >= 0 && clip < 0.5)) {
            throw new IllegalArgumentException("clip must be in [0, 0.5), got " + clip);
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] s : samples) {
            if (s.length == 0) {
                continue;
            }
            double[] sorted = s.clone();
            Arrays.sort(sorted);
            lo = Math.min(lo, quantile(sorted, clip));
            hi = Math.max(hi, quantile(sorted, 1 - clip));
        }
        if (lo == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("all samples are empty");
        }
        if (hi <= lo) {
            lo -= 0.5;
            hi += 0.5;
        }
        return uniformEdges(lo, hi, bins);
    }

    /** Linear-interpolation quantile of sorted data. */
    public static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(i + 1, sorted.length - 1);
        return sorted[i] + (pos - i) * (sorted[j] - sorted[i]);
    }

    private static void checkEdges(double[] edges) {
        if (edges.length < 2) {
            throw new IllegalArgumentException("need at least two bin edges, got " + edges.length);
        }
        for (int i = 1; i < edges.length; i++) {
            if (!(edges[i] > edges[i - 1])) {
                throw new IllegalArgumentException("bin edges must be strictly increasing; edges[" + (i - 1) + "]="
                        + edges[i - 1] + ", edges[" + i + "]=" + edges[i]);
            }
        }
    }

    public double[] edges() {
        return edges.clone();
    }

    public long[] counts() {
        return counts.clone();
    }

    public long total() {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return n;
    }

    /** Probability density per bin: count / (n · width). */
    public double[] density() {
        double n = total();
        double[] d = new double[counts.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = n == 0 ? 0 : counts[i] / (n * (edges[i + 1] - edges[i]));
        }
        return d;
    }

    /**
     * 1-Wasserstein distance between the two normalised histograms, treating each bin's mass as uniform within the bin:
     * W1 = ∫ |F₁(x) − F₂(x)| dx, exact for the piecewise-linear CDFs this defines (the CDF difference is linear inside a
     * bin, so each bin contributes the integral of |linear|). Both histograms must share the same edges.
     */
    public double wasserstein1(Histogram other) {
        if (!Arrays.equals(edges, other.edges)) {
            throw new IllegalArgumentException("histograms must share the same bin edges to be compared");
        }
        double n1 = total();
        double n2 = other.total();
        if (n1 == 0 || n2 == 0) {
            throw new IllegalArgumentException("cannot compare an empty histogram");
        }
        double w = 0;
        double d0 = 0;                               // F1 − F2 at the left edge of the bin
        for (int i = 0; i < counts.length; i++) {
            double d1 = d0 + counts[i] / n1 - other.counts[i] / n2;
            w += (edges[i + 1] - edges[i]) * integralAbsLinear(d0, d1);
            d0 = d1;
        }
        return w;
    }

    /** ∫₀¹ |a + (b − a)t| dt. */
    private static double integralAbsLinear(double a, double b) {
        if (a * b >= 0) {
            return Math.abs(a + b) / 2;
        }
        return (a * a + b * b) / (2 * Math.abs(a - b));
    }

    /**
     * Exact 1-Wasserstein distance between the empirical measures of two raw samples (any sizes):
     * W1 = ∫₀¹ |F₁⁻¹(u) − F₂⁻¹(u)| du, computed by merging the two sorted samples' quantile steps.
     */
    public static double wasserstein1(double[] a, double[] b) {
        if (a.length == 0 || b.length == 0) {
            throw new IllegalArgumentException("cannot compare an empty sample");
        }
        double[] x = a.clone();
        double[] y = b.clone();
        Arrays.sort(x);
        Arrays.sort(y);
        int i = 0;
        int j = 0;
        double u = 0;
        double w = 0;
        while (i < x.length && j < y.length) {
            double nextX = (i + 1) / (double) x.length;
            double nextY = (j + 1) / (double) y.length;
            double next = Math.min(nextX, nextY);
            w += (next - u) * Math.abs(x[i] - y[j]);
            u = next;
            if (nextX <= next) {
                i++;
            }
            if (nextY <= next) {
                j++;
            }
        }
        return w;
    }
}
