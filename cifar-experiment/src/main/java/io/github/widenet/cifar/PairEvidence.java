package io.github.widenet.cifar;

import io.github.widenet.cifar.stats.Accuracy;
import io.github.widenet.cifar.stats.Interval;
import io.github.widenet.cifar.stats.PairedComparison;
import io.github.widenet.cifar.stats.PooledDifference;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@link ModePair} over the seeds: per seed the paired comparison on that seed's test images (difference with a
 * paired bootstrap interval, exact McNemar test, share of images with the same predicted class), and the difference
 * averaged over seeds with a stratified bootstrap interval. A gap counts (in a seed, or pooled) only when both the
 * bootstrap interval excludes 0 and the exact McNemar test rejects equal accuracy at the same level (pooled: on the
 * discordant images of all seeds together), so a percentile interval on a handful of discordant images claims nothing.
 *
 * @param perSeed   by seed, the comparison (seeds where a mode's predictions are missing are left out)
 * @param pooled    mean over those seeds of accuracy(a) − accuracy(b), with its interval; null when no seed has both
 * @param agreement by seed, the share of test images on which a and b predict the same class, with its Wilson interval
 */
public record PairEvidence(ModePair pair, Map<Long, PairedComparison> perSeed, Interval pooled,
                           Map<Long, Interval> agreement) {

    /** Confidence level of every interval. */
    public static final double LEVEL = 0.95;

    /** The evidence on {@code pair} after the final epoch, from every seed that ran both modes. */
    public static PairEvidence of(ModePair pair, List<SeedRun> runs) {
        return of(pair, runs, (run, mode) -> run.modes().containsKey(mode) ? run.modes().get(mode).predictions() : null);
    }

    /**
     * The evidence on {@code pair} at matched training accuracy: each mode's predictions after the first epoch reaching
     * the level, from every seed in which both reach it.
     */
    public static PairEvidence atMatched(ModePair pair, List<SeedRun> runs, MatchedTraining matched) {
        return of(pair, runs, (run, mode) -> {
            EpochRecord r = matched.reached().getOrDefault(run.seed(), Map.of()).get(mode);
            return r == null ? null : run.modes().get(mode).predictionsAfter(r.epoch());
        });
    }

    /** The evidence on {@code pair} from the predictions {@code predictions} picks per seed and mode (null: none). */
    public static PairEvidence of(ModePair pair, List<SeedRun> runs,
                                  java.util.function.BiFunction<SeedRun, Mode, int[]> predictions) {
        Map<Long, PairedComparison> perSeed = new LinkedHashMap<>();
        Map<Long, Interval> agreement = new LinkedHashMap<>();
        List<boolean[]> as = new ArrayList<>();
        List<boolean[]> bs = new ArrayList<>();
        for (SeedRun run : runs) {
            int[] pa = predictions.apply(run, pair.a());
            int[] pb = predictions.apply(run, pair.b());
            boolean[] a = run.correct(pa);
            boolean[] b = run.correct(pb);
            if (a == null || b == null) {
                continue;
            }
            perSeed.put(run.seed(), PairedComparison.of(a, b, pa, pb, LEVEL, run.seed()));
            long same = 0;
            for (int i = 0; i < pa.length; i++) {
                same += pa[i] == pb[i] ? 1 : 0;
            }
            agreement.put(run.seed(), Accuracy.wilson(same, pa.length, LEVEL));
            as.add(a);
            bs.add(b);
        }
        Interval pooled = as.isEmpty() ? null : PooledDifference.of(as, bs, LEVEL, 1);
        return new PairEvidence(pair, perSeed, pooled, agreement);
    }

    private static boolean gap(PairedComparison c) {
        return c.significant() && c.mcnemarP() < 1 - LEVEL;
    }

    /** Seeds in which a is significantly more accurate than b. */
    public int seedsAWins() {
        return (int) perSeed.values().stream().filter(c -> gap(c) && c.difference().estimate() > 0).count();
    }

    /** Seeds in which b is significantly more accurate than a. */
    public int seedsBWins() {
        return (int) perSeed.values().stream().filter(c -> gap(c) && c.difference().estimate() < 0).count();
    }

    /** Exact McNemar p-value on the discordant images of all seeds together (NaN without seeds). */
    public double pooledMcnemarP() {
        if (perSeed.isEmpty()) {
            return Double.NaN;
        }
        long a = perSeed.values().stream().mapToLong(PairedComparison::onlyA).sum();
        long b = perSeed.values().stream().mapToLong(PairedComparison::onlyB).sum();
        return PairedComparison.mcnemarExact(a, b);
    }

    /** Whether the pooled difference is claimed: its interval excludes 0 and the pooled McNemar test rejects. */
    public boolean claimed() {
        return pooled != null && pooled.excludes(0) && pooledMcnemarP() < 1 - LEVEL;
    }

    /** Mean over seeds of the agreement share (NaN without seeds). */
    public double meanAgreement() {
        return agreement.values().stream().mapToDouble(Interval::estimate).average().orElse(Double.NaN);
    }
}
