package io.github.widenet.cifar.stats;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Intervals and paired tests against textbook values and simulated coverage. */
class StatsTest {

    @Test
    void wilsonMatchesTextbookValues() {
        Interval zero = Accuracy.wilson(0, 10, 0.95);
        assertEquals(0.0, zero.low(), 1e-12);
        assertEquals(0.2775, zero.high(), 1e-4);                 // z²/(n + z²) = 3.8415/13.8415
        Interval i = Accuracy.wilson(45, 100, 0.95);
        assertEquals(0.3561, i.low(), 1e-4);
        assertEquals(0.5476, i.high(), 1e-4);
        assertThrows(IllegalArgumentException.class, () -> Accuracy.wilson(11, 10, 0.95));
    }

    @Test
    void wilsonCoversTheTrueAccuracyAboutNinetyFivePercentOfTheTime() {
        SplittableRandom r = new SplittableRandom(1);
        int covered = 0;
        int trials = 4000;
        for (int t = 0; t < trials; t++) {
            int k = 0;
            for (int i = 0; i < 200; i++) {
                k += r.nextDouble() < 0.3 ? 1 : 0;
            }
            Interval ci = Accuracy.wilson(k, 200, 0.95);
            covered += ci.low() <= 0.3 && 0.3 <= ci.high() ? 1 : 0;
        }
        assertEquals(0.95, (double) covered / trials, 0.015);
    }

    @Test
    void mcnemarExactMatchesTheBinomial() {
        assertEquals(0.0625, PairedComparison.mcnemarExact(0, 5), 1e-12);   // 2 · 0.5^5
        assertEquals(1.0, PairedComparison.mcnemarExact(3, 3), 0.0);
        assertEquals(2 * (1 + 10 + 45) / 1024.0, PairedComparison.mcnemarExact(2, 8), 1e-12);
        // far below 1e-16, where 1 − (upper tail) cancels to 0: 2 · 2^-550 and 2 · (1 + 551) · 2^-551 exactly
        assertEquals(Math.pow(2, -549), PairedComparison.mcnemarExact(0, 550), 1e-12 * Math.pow(2, -549));
        assertEquals(552 * Math.pow(2, -550), PairedComparison.mcnemarExact(550, 1), 1e-12 * 552 * Math.pow(2, -550));
        assertEquals(reference(7, 600), PairedComparison.mcnemarExact(7, 593), 1e-12 * reference(7, 600));
    }

    /** 2 · Σ_{k ≤ m} C(n, k) / 2^n in exact integer arithmetic. */
    private static double reference(int m, int n) {
        java.math.BigInteger sum = java.math.BigInteger.ZERO;
        java.math.BigInteger c = java.math.BigInteger.ONE;
        for (int k = 0; k <= m; k++) {
            sum = sum.add(c);
            c = c.multiply(java.math.BigInteger.valueOf(n - k)).divide(java.math.BigInteger.valueOf(k + 1));
        }
        return new java.math.BigDecimal(sum.shiftLeft(1)).divide(new java.math.BigDecimal(java.math.BigInteger.TWO
                .pow(n)), java.math.MathContext.DECIMAL64).doubleValue();
    }

    @Test
    void pValuesPrintAsNumbers() {
        assertEquals("5.6e-165", io.github.widenet.cifar.stats.PValue.format(5.6e-165));
        assertEquals("0.032", io.github.widenet.cifar.stats.PValue.format(0.0321));
        assertEquals("< 4.9e-324", io.github.widenet.cifar.stats.PValue.format(0.0));
        assertEquals("= 5.4e-166", io.github.widenet.cifar.stats.PValue.relation(PairedComparison.mcnemarExact(0, 550)));
    }

    private static boolean[] sample(SplittableRandom r, int n, double p) {
        boolean[] b = new boolean[n];
        for (int i = 0; i < n; i++) {
            b[i] = r.nextDouble() < p;
        }
        return b;
    }

    @Test
    void equalModelsGetNoClaimedGap() {
        boolean[] a = sample(new SplittableRandom(2), 2000, 0.45);
        PairedComparison c = PairedComparison.of(a, a.clone(), null, null, 0.95, 7);
        assertFalse(c.significant());
        assertEquals(0.0, c.difference().estimate(), 0.0);
        assertEquals(1.0, c.mcnemarP(), 0.0);
        assertTrue(c.sentence("standard", "lazy").startsWith("no significant difference"), c.sentence("s", "l"));

        // two independent models of the same accuracy: the interval contains 0 in most draws
        int claimed = 0;
        for (int s = 0; s < 40; s++) {
            SplittableRandom r = new SplittableRandom(100 + s);
            claimed += PairedComparison.of(sample(r, 1000, 0.5), sample(r, 1000, 0.5), null, null, 0.95, s)
                    .significant() ? 1 : 0;
        }
        assertTrue(claimed <= 6, claimed + " of 40 null comparisons claimed a gap");
    }

    @Test
    void aLargeGapIsClaimedWithItsInterval() {
        SplittableRandom r = new SplittableRandom(3);
        boolean[] a = sample(r, 2000, 0.8);
        boolean[] b = sample(r, 2000, 0.5);
        int[] pa = new int[2000];
        int[] pb = new int[2000];
        for (int i = 0; i < 2000; i++) {
            pa[i] = i % 10;
            pb[i] = i % 20 < 10 ? i % 10 : 0;
        }
        PairedComparison c = PairedComparison.of(a, b, pa, pb, 0.95, 11);
        assertTrue(c.significant());
        assertTrue(c.difference().low() > 0.25 && c.difference().high() < 0.35, c.difference().toString());
        assertTrue(c.mcnemarP() < 1e-20, "p " + c.mcnemarP());
        String s = c.sentence("standard", "lazy α = 100");
        assertTrue(s.startsWith("standard beats lazy α = 100 by 30.") && s.contains("95% CI")
                && s.matches(".*McNemar p = [0-9.]+e-[0-9]+.*"), s);
        String reversed = PairedComparison.of(b, a, null, null, 0.95, 11).sentence("lazy", "standard");
        assertTrue(reversed.startsWith("standard beats lazy by 30."), reversed);
        assertEquals(0.55, c.agreement(), 1e-12);
    }

    @Test
    void pooledDifferenceAveragesSeedsAndNarrowsLikeTheNormalApproximation() {
        SplittableRandom r = new SplittableRandom(5);
        java.util.List<boolean[]> as = new java.util.ArrayList<>();
        java.util.List<boolean[]> bs = new java.util.ArrayList<>();
        double mean = 0;
        for (int s = 0; s < 4; s++) {
            boolean[] a = sample(r, 1000, 0.6);
            boolean[] b = sample(r, 1000, 0.5);
            as.add(a);
            bs.add(b);
            mean += PairedComparison.of(a, b, null, null, 0.95, s).difference().estimate() / 4;
        }
        Interval pooled = PooledDifference.of(as, bs, 0.95, 3);
        assertEquals(mean, pooled.estimate(), 1e-12);
        // independent models: per-image difference variance .6*.4 + .5*.5 = 0.49; the mean of 4 seeds of 1000 images
        double half = 1.96 * Math.sqrt(0.49 / 4000);
        assertEquals(half, (pooled.high() - pooled.low()) / 2, 0.15 * half);
        assertThrows(IllegalArgumentException.class, () -> PooledDifference.of(as, bs.subList(0, 2), 0.95, 1));
    }
}
