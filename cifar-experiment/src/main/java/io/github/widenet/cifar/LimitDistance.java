package io.github.widenet.cifar;

import io.github.widenet.report.CsvTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How far each trained mode's final test predictions are from the NTK-regression limit f∞ of the same w0 (issue 27:
 * lazy training with the squared loss tends to f∞ as α → ∞ and t → ∞), per seed, on the n test images with K outputs:
 * <pre>
 *     agreement       = share of images with the same arg max class
 *     relative        = ‖f − f∞‖_F / ‖f∞‖_F
 *     rms             = √( Σ_i ‖f(x_i) − f∞(x_i)‖² / n )
 * </pre>
 * with f the centred model's outputs (α(h(w) − h(w0)), J(w0)(w − w0), or h(w) for plain).
 */
record LimitDistance(long seed, Mode mode, double agreement, double relative, double rms) {

    /** The rows of every seed and every mode whose outputs are kept, when the seed has the NTK-limit mode. */
    static List<LimitDistance> of(List<SeedRun> runs) {
        List<LimitDistance> out = new ArrayList<>();
        for (SeedRun run : runs) {
            float[] limit = run.modes().entrySet().stream().filter(e -> e.getKey().isNtkLimit())
                    .map(e -> e.getValue().testOutputs()).filter(java.util.Objects::nonNull).findFirst().orElse(null);
            if (limit == null) {
                continue;
            }
            int n = run.testLabels().length;
            int k = limit.length / n;
            for (Map.Entry<Mode, ModeResult> e : run.modes().entrySet()) {
                float[] f = e.getValue().testOutputs();
                if (e.getKey().isNtkLimit() || f == null || f.length != limit.length) {
                    continue;
                }
                double diff = 0;
                double norm = 0;
                int same = 0;
                for (int i = 0; i < n; i++) {
                    int a = 0;
                    int b = 0;
                    for (int j = 0; j < k; j++) {
                        double d = f[i * k + j] - limit[i * k + j];
                        diff += d * d;
                        norm += (double) limit[i * k + j] * limit[i * k + j];
                        a = f[i * k + j] > f[i * k + a] ? j : a;
                        b = limit[i * k + j] > limit[i * k + b] ? j : b;
                    }
                    same += a == b ? 1 : 0;
                }
                out.add(new LimitDistance(run.seed(), e.getKey(), same / (double) n, Math.sqrt(diff / norm),
                        Math.sqrt(diff / n)));
            }
        }
        return out;
    }

    static CsvTable csv(List<LimitDistance> rows) {
        CsvTable t = new CsvTable("seed", "mode", "mode_key", "agreement_with_limit", "relative_distance",
                "rms_distance");
        for (LimitDistance r : rows) {
            t.add(r.seed(), r.mode().label(), r.mode().key(), r.agreement(), r.relative(), r.rms());
        }
        return t;
    }

    static List<List<String>> tableRows(List<LimitDistance> rows) {
        List<List<String>> out = new ArrayList<>();
        for (LimitDistance r : rows) {
            out.add(List.of(Long.toString(r.seed()), r.mode().label(), String.format(Locale.ROOT, "%.1f%%",
                    100 * r.agreement()), String.format(Locale.ROOT, "%.3g", r.relative()),
                    String.format(Locale.ROOT, "%.3g", r.rms())));
        }
        return out;
    }

    /** One sentence per mode: its agreement and relative distance, mean (range) over the seeds. */
    static List<String> sentences(List<LimitDistance> rows) {
        List<String> out = new ArrayList<>();
        for (Mode m : rows.stream().map(LimitDistance::mode).distinct().toList()) {
            List<LimitDistance> rs = rows.stream().filter(r -> r.mode().equals(m)).toList();
            out.add(String.format(Locale.ROOT, "%s predicts the class of the NTK-regression limit on %.1f%% of the "
                            + "test images (%s) and its outputs are %.3g of ‖f∞‖ away (%s), over %d seed%s.", m.label(),
                    100 * rs.stream().mapToDouble(LimitDistance::agreement).average().orElseThrow(),
                    range(rs, r -> 100 * r.agreement(), "%.1f%%"),
                    rs.stream().mapToDouble(LimitDistance::relative).average().orElseThrow(),
                    range(rs, LimitDistance::relative, "%.3g"), rs.size(), rs.size() == 1 ? "" : "s"));
        }
        return out;
    }

    private static String range(List<LimitDistance> rs, java.util.function.ToDoubleFunction<LimitDistance> v,
                                String fmt) {
        double lo = rs.stream().mapToDouble(v).min().orElseThrow();
        double hi = rs.stream().mapToDouble(v).max().orElseThrow();
        return rs.size() == 1 ? "one seed" : String.format(Locale.ROOT, "seeds " + fmt + " to " + fmt, lo, hi);
    }
}
