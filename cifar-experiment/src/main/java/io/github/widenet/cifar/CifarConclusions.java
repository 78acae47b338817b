package io.github.widenet.cifar;

import io.github.widenet.cifar.stats.PValue;

import io.github.widenet.cifar.stats.Interval;
import io.github.widenet.cifar.stats.Accuracy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The conclusion sentences of the CIFAR report, every one computed from the numbers: for each {@link ModePair} the
 * paired difference of test accuracies on the same images (mean over seeds, 95% stratified paired bootstrap interval; a
 * gap is claimed only when the interval excludes 0 and the exact McNemar test rejects, see {@link PairEvidence}) and in
 * how many seeds it shows; the share of
 * test images on which the laziest model and the linearized one predict the same class; the relative parameter change
 * ‖w − w0‖/‖w0‖ against the reference mode (a mode "stays close to w0" when it moved at least 10× less); and the test
 * accuracies at matched training accuracy.
 */
final class CifarConclusions {

    /** A mode moving at least this many times less than the reference "stays close to w0". */
    static final double LAZY_RATIO = 10;

    private CifarConclusions() {
    }

    /**
     * @param trainEvalExamples the number of training images on which training accuracy was measured
     */
    static List<String> sentences(List<SeedRun> runs, List<PairEvidence> pairs, MatchedTraining matched,
                                  List<PairEvidence> matchedPairs, int trainEvalExamples) {
        List<String> out = new ArrayList<>();
        List<Mode> modes = runs.isEmpty() ? List.of() : List.copyOf(runs.get(0).modes().keySet());
        if (modes.size() < 2) {
            out.add("Only one training mode was run: nothing to compare.");
            return out;
        }
        if (pairs.isEmpty()) {
            out.add("None of the compared pairs (plain vs standard, standard vs a lazy alpha, the laziest alpha vs "
                    + "linearized) was run: no paired comparison.");
        }
        for (PairEvidence p : pairs) {
            out.add(pair(p, runs.get(0).testLabels().length));
            if (p.pair().isLinearizationPair() && !p.agreement().isEmpty()) {
                out.add(agreement(p, runs.get(0).testLabels().length));
            }
        }
        Mode ref = reference(modes);
        for (Mode m : modes) {
            if (!m.equals(ref)) {
                out.add(movement(m, meanChange(runs, m), ref, meanChange(runs, ref)));
            }
        }
        out.addAll(matched(matched, modes, runs.size(), trainEvalExamples));
        for (PairEvidence p : matchedPairs) {
            if (!p.perSeed().isEmpty()) {
                out.add("At matched training accuracy: " + lowerFirst(pair(p, runs.get(0).testLabels().length)));
            }
        }
        return out;
    }

    private static String lowerFirst(String s) {
        return s.startsWith("No ") ? "no " + s.substring(3) : s;
    }

    private static String seeds(int k, int n) {
        return k + " of " + n + (n == 1 ? " seed" : " seeds");
    }

    private static String pair(PairEvidence e, int images) {
        String a = e.pair().a().label();
        String b = e.pair().b().label();
        Interval d = e.pooled();
        if (d == null) {
            return "No paired comparison of " + a + " and " + b + ": their per-image predictions were not recorded "
                    + "(modes finished by an older version).";
        }
        int n = e.perSeed().size();
        String basis = "paired bootstrap over the " + images + " test images" + (n > 1 ? " of each of " + n
                + " seeds, mean over seeds" : "");
        double pm = e.pooledMcnemarP();
        String mcnemar = "; exact McNemar p " + PValue.relation(pm)
                + (n > 1 ? " on all seeds' discordant images" : "");
        if (e.claimed()) {
            boolean aWins = d.estimate() > 0;
            String winner = aWins ? a : b;
            String loser = aWins ? b : a;
            Interval gap = aWins ? d : new Interval(-d.estimate(), -d.high(), -d.low(), d.level());
            int wins = aWins ? e.seedsAWins() : e.seedsBWins();
            int losses = aWins ? e.seedsBWins() : e.seedsAWins();
            return String.format(Locale.ROOT, "%s beats %s by %.1f points (%.0f%% CI %.1f to %.1f, %s%s); "
                            + "significant in %s%s.", winner, loser, 100 * gap.estimate(), 100 * gap.level(),
                    100 * gap.low(), 100 * gap.high(), basis, mcnemar, seeds(wins, n),
                    losses > 0 ? "; " + loser + " significantly ahead in " + seeds(losses, n) : "");
        }
        int aw = e.seedsAWins();
        int bw = e.seedsBWins();
        String per = aw + bw == 0 ? "a significant gap in " + seeds(0, n)
                : "a significant gap in " + seeds(aw + bw, n) + " (" + a + " ahead in " + aw + ", " + b + " in " + bw
                + ")";
        return String.format(Locale.ROOT, "No significant difference between %s and %s: %+.1f points (%.0f%% CI %.1f "
                        + "to %.1f, %s%s); %s.", a, b, 100 * d.estimate(), 100 * d.level(), 100 * d.low(),
                100 * d.high(), basis, mcnemar, per);
    }

    private static String agreement(PairEvidence e, int images) {
        Map<Long, Interval> ag = e.agreement();
        String a = e.pair().a().label();
        String b = e.pair().b().label();
        if (ag.size() == 1) {
            Interval i = ag.values().iterator().next();
            return String.format(Locale.ROOT, "%s and %s predict the same class on %s of the %d test images.", a, b,
                    i.percent(), images);
        }
        String per = ag.entrySet().stream().map(x -> String.format(Locale.ROOT, "seed %d: %.1f%%", x.getKey(),
                100 * x.getValue().estimate())).collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "%s and %s predict the same class on %.1f%% of the %d test images on "
                + "average over %d seeds (%s).", a, b, 100 * e.meanAgreement(), images, ag.size(), per);
    }

    static double meanChange(List<SeedRun> runs, Mode m) {
        return runs.stream().filter(r -> r.modes().containsKey(m))
                .mapToDouble(r -> r.modes().get(m).last().relativeChange()).average().orElse(Double.NaN);
    }

    private static String movement(Mode m, double a, Mode ref, double b) {
        String verdict;
        if (!(a >= 0 && b >= 0) || !Double.isFinite(a) || !Double.isFinite(b)) {
            verdict = "not comparable";
        } else if (a * LAZY_RATIO <= b) {
            verdict = String.format(Locale.ROOT, "%s stays close to w0 (%.3g× less movement)", m.label(),
                    a == 0 ? Double.POSITIVE_INFINITY : b / a);
        } else if (a < b) {
            verdict = String.format(Locale.ROOT, "%s moves less, but by less than %.0f×", m.label(), LAZY_RATIO);
        } else {
            verdict = String.format(Locale.ROOT, "%s moves at least as far", m.label());
        }
        return String.format(Locale.ROOT, "Relative parameter change |w-w0|/|w0|, %s vs %s: %.3g vs %.3g: %s.",
                m.label(), ref.label(), a, b, verdict);
    }

    private static List<String> matched(MatchedTraining t, List<Mode> modes, int seeds, int trainEvalExamples) {
        List<String> out = new ArrayList<>();
        Interval width = Accuracy.wilson(Math.round(t.level() * trainEvalExamples), trainEvalExamples, 0.95);
        String how = t.requested() ? "as asked (--match-train-accuracy)"
                : "the highest training accuracy every mode reaches" + (seeds > 1 ? " in every seed" : "");
        List<String> parts = new ArrayList<>();
        for (Mode m : modes) {
            List<EpochRecord> hits = t.reached().values().stream().map(x -> x.get(m))
                    .filter(java.util.Objects::nonNull).toList();
            if (hits.isEmpty()) {
                continue;
            }
            double acc = hits.stream().mapToDouble(EpochRecord::testAccuracy).average().orElse(Double.NaN);
            String epochs = hits.stream().map(r -> Integer.toString(r.epoch())).collect(Collectors.joining(", "));
            parts.add(String.format(Locale.ROOT, "%s %.4f (epoch %s)", m.label(), acc, epochs));
        }
        out.add(String.format(Locale.ROOT, "At matched training accuracy %.4f (%s; measured on %d training images, "
                        + "95%% CI %.4f to %.4f), test accuracy%s: %s.", t.level(), how, trainEvalExamples,
                width.low(), width.high(), seeds > 1 ? " (mean over the seeds reaching it)" : "",
                parts.isEmpty() ? "no mode reaches it" : String.join(", ", parts)));
        for (Mode m : modes) {
            List<Long> never = t.neverReached(m);
            if (!never.isEmpty()) {
                out.add(String.format(Locale.ROOT, "%s never reaches training accuracy %.4f in %s (seed%s %s).",
                        m.label(), t.level(), seeds(never.size(), seeds), never.size() == 1 ? "" : "s",
                        never.stream().map(String::valueOf).collect(Collectors.joining(", "))));
            }
        }
        return out;
    }

    /** Standard (α = 1) if present, else the smallest α, else the first mode. */
    static Mode reference(List<Mode> modes) {
        Mode best = null;
        for (Mode m : modes) {
            if (m.isCentred() && (best == null || m.alpha() < best.alpha())) {
                best = m;
            }
        }
        return best != null ? best : modes.get(0);
    }
}
