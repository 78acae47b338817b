package io.github.widenet.cifar;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The conclusion sentences of the CIFAR report, each computed from the final numbers: every mode is compared with the
 * reference mode (α = 1, else the smallest α) on test accuracy — Wilson 95% intervals on the n test examples, a
 * difference claimed only when the intervals are disjoint (conservative) — and on the relative parameter change
 * ‖w − w0‖/‖w0‖ (a mode "stays close to w0" when it moved at least 10× less than the reference).
 */
final class CifarConclusions {

    /** A mode moving at least this many times less than the reference "stays close to w0". */
    static final double LAZY_RATIO = 10;

    private CifarConclusions() {
    }

    /** The sentences for the final records of each mode, measured on {@code testExamples} test images. */
    static List<String> sentences(Map<Mode, EpochRecord> last, int testExamples) {
        List<String> out = new ArrayList<>();
        Mode ref = reference(last);
        if (ref == null || last.size() < 2) {
            out.add("Only one training mode was run: nothing to compare.");
            return out;
        }
        EpochRecord r = last.get(ref);
        WilsonInterval ri = WilsonInterval.of(r.testAccuracy(), testExamples);
        List<String> worse = new ArrayList<>();
        List<String> same = new ArrayList<>();
        List<String> better = new ArrayList<>();
        for (Map.Entry<Mode, EpochRecord> e : last.entrySet()) {
            Mode m = e.getKey();
            if (m.equals(ref)) {
                continue;
            }
            EpochRecord x = e.getValue();
            WilsonInterval xi = WilsonInterval.of(x.testAccuracy(), testExamples);
            String verdict;
            if (!xi.separatedFrom(ri)) {
                verdict = "no significant difference (the intervals overlap)";
                same.add(m.label());
            } else if (x.testAccuracy() < r.testAccuracy()) {
                verdict = "significantly lower";
                worse.add(m.label());
            } else {
                verdict = "significantly higher";
                better.add(m.label());
            }
            out.add(String.format(Locale.ROOT, "Test accuracy, %s vs %s: %s vs %s (Wilson 95%%, n = %d): %s.",
                    m.label(), ref.label(), xi.format(), ri.format(), testExamples, verdict));
            out.add(movement(m, x, ref, r));
        }
        out.add(summary(ref, worse, same, better));
        return out;
    }

    private static String movement(Mode m, EpochRecord x, Mode ref, EpochRecord r) {
        double a = x.relativeChange();
        double b = r.relativeChange();
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

    private static String summary(Mode ref, List<String> worse, List<String> same, List<String> better) {
        StringBuilder s = new StringBuilder("Against " + ref.label() + ": ");
        List<String> parts = new ArrayList<>();
        if (!worse.isEmpty()) {
            parts.add("significantly lower test accuracy for " + String.join(", ", worse));
        }
        if (!same.isEmpty()) {
            parts.add("no significant difference for " + String.join(", ", same));
        }
        if (!better.isEmpty()) {
            parts.add("significantly higher test accuracy for " + String.join(", ", better));
        }
        s.append(String.join("; ", parts)).append('.');
        if (worse.isEmpty()) {
            s.append(" These numbers do not show lazy training generalising worse.");
        }
        return s.toString();
    }

    /** α = 1 if present, else the smallest α; null when only the linearized mode ran. */
    static Mode reference(Map<Mode, EpochRecord> last) {
        Mode best = null;
        for (Mode m : last.keySet()) {
            if (!m.isLinearized() && (best == null || m.alpha() < best.alpha())) {
                best = m;
            }
        }
        return best;
    }
}
