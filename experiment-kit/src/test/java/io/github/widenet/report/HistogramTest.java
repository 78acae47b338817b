package io.github.widenet.report;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HistogramTest {

    @Test
    void countsFoldOutOfRangeValuesIntoEndBinsAndSumToN() {
        double[] edges = {0, 1, 2, 3};
        Histogram h = Histogram.of(new double[]{-5, 0, 0.5, 1, 1.5, 2.999, 3, 7}, edges);
        assertArrayEquals(new long[]{3, 2, 3}, h.counts());
        assertEquals(8, h.total());
        assertArrayEquals(new double[]{3 / 8.0, 2 / 8.0, 3 / 8.0}, h.density(), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> Histogram.of(new double[]{Double.NaN}, edges));
        assertThrows(IllegalArgumentException.class, () -> Histogram.of(new double[]{1}, new double[]{0, 1, 1}));
    }

    @Test
    void binnedW1OfAllMassInOneBinVersusAnotherIsTheBinDistance() {
        double[] edges = Histogram.uniformEdges(0, 10, 10);
        Histogram a = Histogram.of(new double[]{0.2, 0.4, 0.9}, edges);   // all in bin [0,1)
        Histogram b = Histogram.of(new double[]{3.5}, edges);             // all in bin [3,4)
        // uniform-in-bin masses on [0,1] and [3,4]: a shift by exactly 3
        assertEquals(3.0, a.wasserstein1(b), 1e-12);
        assertEquals(3.0, b.wasserstein1(a), 1e-12);
        assertEquals(0.0, a.wasserstein1(a), 0.0);
    }

    @Test
    void binnedW1OfShiftedUniformsIsTheShift() {
        double[] edges = Histogram.uniformEdges(0, 3, 300);
        Random r = new Random(1);
        double[] u = new double[200_000];
        double[] v = new double[200_000];
        for (int i = 0; i < u.length; i++) {
            u[i] = r.nextDouble();
            v[i] = 1.5 + r.nextDouble();
        }
        assertEquals(1.5, Histogram.of(u, edges).wasserstein1(Histogram.of(v, edges)), 0.01);
        assertEquals(1.5, Histogram.wasserstein1(u, v), 0.01);
    }

    @Test
    void binnedW1WithCrossingCdfsMatchesHandComputation() {
        double[] edges = {0, 1, 2};
        Histogram a = Histogram.ofCounts(edges, new long[]{1, 0});   // uniform on [0,1]
        Histogram b = Histogram.ofCounts(edges, new long[]{0, 1});   // uniform on [1,2]
        assertEquals(1.0, a.wasserstein1(b), 1e-12);
        Histogram c = Histogram.ofCounts(edges, new long[]{1, 1});   // uniform on [0,2]
        // F_a − F_c: 0→1/2 on [0,1] (t/2), 1/2→0 on [1,2]: area 1/4 + 1/4
        assertEquals(0.5, a.wasserstein1(c), 1e-12);
    }

    @Test
    void exactSampleW1() {
        assertEquals(2.0, Histogram.wasserstein1(new double[]{0, 1}, new double[]{2, 3}), 1e-12);
        // {0} vs {0, 1}: half the mass moves by 1
        assertEquals(0.5, Histogram.wasserstein1(new double[]{0}, new double[]{0, 1}), 1e-12);
        // unequal sizes: {0,1,2} vs {0,3}: quantile functions differ on [1/3,1/2) by 1 and on [1/2,2/3) by 2, [2/3,1) by 1
        assertEquals(1 / 6.0 + 2 / 6.0 + 1 / 3.0, Histogram.wasserstein1(new double[]{2, 0, 1}, new double[]{3, 0}), 1e-12);
    }

    @Test
    void commonEdgesClipOutliersAcrossSamples() {
        double[] a = new double[1000];
        double[] b = new double[1000];
        for (int i = 0; i < 1000; i++) {
            a[i] = i / 1000.0;
            b[i] = 1 + i / 1000.0;
        }
        a[0] = -1000;
        double[] e = Histogram.commonEdges(20, 0.01, a, b);
        assertEquals(21, e.length);
        assertEquals(0.0, e[0], 0.02);
        assertEquals(2.0, e[20], 0.02);
        double[] all = Histogram.commonEdges(4, 0, new double[]{5, 5});
        assertEquals(4.5, all[0]);
        assertEquals(5.5, all[4]);
    }

    /**
     * CDFs that cross inside a bin (F_a − F_b goes from +1/2 to −1/2 across [1, 2]), against two independent references:
     * the hand-computed value and the exact W1 of equal-size samples spread uniformly inside each bin, computed here by
     * sorting (mean |x_(i) − y_(i)|), which converges to the uniform-in-bin W1 as the samples grow.
     */
    @Test
    void binnedW1WithCdfsCrossingInsideABinMatchesIndependentReferences() {
        double[] edges = {0, 1, 2, 3};
        long[] ca = {2, 0, 2};          // half uniform on [0,1], half on [2,3]
        long[] cb = {0, 4, 0};          // uniform on [1,2]
        Histogram a = Histogram.ofCounts(edges, ca);
        Histogram b = Histogram.ofCounts(edges, cb);
        // quantiles: a(u) = 2u on [0,1/2), 2u+1 on [1/2,1); b(u) = 1+u: ∫|1−u| on [0,1/2) + ∫|u| on [1/2,1) = 3/8 + 3/8
        assertEquals(0.75, a.wasserstein1(b), 1e-12);
        assertEquals(0.75, b.wasserstein1(a), 1e-12);
        assertEquals(sortedSampleW1(spread(edges, ca, 2000), spread(edges, cb, 2000)), a.wasserstein1(b), 1e-3);

        // an irregular pair on uneven edges whose CDF difference changes sign several times
        double[] e2 = {-1, 0, 0.5, 2, 2.5, 4};
        long[] c1 = {3, 1, 0, 4, 2};
        long[] c2 = {1, 3, 4, 0, 2};
        double reference = sortedSampleW1(spread(e2, c1, 5000), spread(e2, c2, 5000));
        assertEquals(reference, Histogram.ofCounts(e2, c1).wasserstein1(Histogram.ofCounts(e2, c2)), 1e-3);
    }

    /** {@code perCount} evenly spaced points (midpoints of equal sub-bins) per unit of count in every bin. */
    private static double[] spread(double[] edges, long[] counts, int perCount) {
        int n = 0;
        for (long c : counts) {
            n += (int) c * perCount;
        }
        double[] out = new double[n];
        int k = 0;
        for (int i = 0; i < counts.length; i++) {
            int m = (int) counts[i] * perCount;
            for (int j = 0; j < m; j++) {
                out[k++] = edges[i] + (edges[i + 1] - edges[i]) * (j + 0.5) / m;
            }
        }
        return out;
    }

    /** W1 of two equal-size samples: the mean distance between order statistics. */
    private static double sortedSampleW1(double[] x, double[] y) {
        assertEquals(x.length, y.length);
        double[] a = x.clone();
        double[] b = y.clone();
        java.util.Arrays.sort(a);
        java.util.Arrays.sort(b);
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += Math.abs(a[i] - b[i]);
        }
        return s / a.length;
    }
}
