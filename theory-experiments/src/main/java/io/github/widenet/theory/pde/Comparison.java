package io.github.widenet.theory.pde;

import io.github.widenet.report.Histogram;
import io.github.widenet.stats.SamplingFloor;
import io.github.widenet.theory.pde.sgd.SgdTrace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SGD against the PDE at every recorded time: W1(ρ̂_N^SGD(t), ρ_t) between the empirical law of the unit norms and the
 * PDE solution, the SGD test risk and R(ρ_t), and the {@link PdeFloor} of an exact N-sample of ρ_t.
 */
public final class Comparison {

    /** One (run, time): W1 to the PDE and the two risks. */
    public record Point(int width, long seed, double eps, double time, double w1, double sgdRisk,
                        double sgdRiskHalfWidth, double pdeRisk) {
    }

    /** Per width, time-averaged over t &gt; 0 and at the final time: SGD's W1 and the one-sample floor. */
    public record Summary(int width, int runs, double meanW1, double meanFloor, double finalW1, double finalW1Low,
                          double finalW1High, double finalFloor, double finalFloorLow, double finalFloorHigh,
                          double fractionWithinFloor, double maxRiskGap, double finalBound, double initialW1,
                          double initialBound, SamplingFloor.Verdict verdict) {
        /** SGD's time-averaged W1 in units of the floor. */
        public double ratio() {
            return meanW1 / meanFloor;
        }
    }

    private Comparison() {
    }

    public static List<Point> points(PdeSolution pde, List<SgdTrace> traces) {
        List<Point> out = new ArrayList<>();
        for (SgdTrace tr : traces) {
            for (int i = 0; i < tr.times().length; i++) {
                out.add(new Point(tr.width(), tr.seed(), tr.eps(), tr.times()[i],
                        Histogram.wasserstein1(tr.norms()[i], pde.sortedPositions()[i]), tr.testRisk()[i],
                        tr.testRiskHalfWidth()[i], pde.risk()[i]));
            }
        }
        return out;
    }

    /** Floors for every width and recorded time. */
    public static Map<Integer, PdeFloor[]> floors(PdeSolution pde, List<Integer> widths, int reps, long seed) {
        Map<Integer, PdeFloor[]> out = new LinkedHashMap<>();
        for (int n : widths) {
            PdeFloor[] f = new PdeFloor[pde.times().length];
            for (int i = 0; i < f.length; i++) {
                f[i] = PdeFloor.of(pde, i, n, reps, seed * 31 + n * 1_000L + i);
            }
            out.put(n, f);
        }
        return out;
    }

    /** Summaries of the main runs (time per sample {@code eps.applyAsDouble(N)}), one per width. */
    public static List<Summary> summarise(List<Point> points, Map<Integer, PdeFloor[]> floors, double[] times,
                                          java.util.function.IntToDoubleFunction eps) {
        List<Summary> out = new ArrayList<>();
        int last = times.length - 1;
        for (Map.Entry<Integer, PdeFloor[]> e : floors.entrySet()) {
            int n = e.getKey();
            PdeFloor[] f = e.getValue();
            double sumW = 0;
            double sumF = 0;
            int count = 0;
            int within = 0;
            double maxGap = 0;
            List<Double> finals = new ArrayList<>();
            List<Double> initials = new ArrayList<>();
            java.util.Set<Long> seeds = new java.util.HashSet<>();
            for (Point p : points) {
                if (p.width() != n || p.eps() != eps.applyAsDouble(n)) {
                    continue;
                }
                seeds.add(p.seed());
                int i = (int) Math.round(p.time() / (times.length > 1 ? times[1] : 1));
                maxGap = Math.max(maxGap, Math.abs(p.sgdRisk() - p.pdeRisk()));
                if (i == 0) {
                    initials.add(p.w1());
                    continue;
                }
                sumW += p.w1();
                sumF += f[i].oneSampleMean();
                count++;
                if (p.w1() <= f[i].oneSampleHigh()) {
                    within++;
                }
                if (i == last) {
                    finals.add(p.w1());
                }
            }
            if (count == 0) {
                continue;
            }
            double[] fin = finals.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double finMean = java.util.Arrays.stream(fin).average().orElse(Double.NaN);
            double[] init = initials.stream().mapToDouble(Double::doubleValue).toArray();
            // the stated test: the seeds' mean W1 at t = T against the floor's 97.5 % bound for a mean of that many
            // runs, decided only if the same test at t = 0 (SGD's initial units are an exact sample of rho_0) passes
            SamplingFloor.Verdict verdict = f[last].oneSample().test(fin, f[0].oneSample(), init);
            out.add(new Summary(n, seeds.size(), sumW / count, sumF / count, finMean, fin[0], fin[fin.length - 1],
                    f[last].oneSampleMean(), f[last].oneSampleLow(), f[last].oneSampleHigh(), within / (double) count,
                    maxGap, f[last].oneSample().upper(fin.length),
                    java.util.Arrays.stream(init).average().orElse(Double.NaN), f[0].oneSample().upper(init.length),
                    verdict));
        }
        return out;
    }
}
