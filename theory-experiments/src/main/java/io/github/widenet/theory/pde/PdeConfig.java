package io.github.widenet.theory.pde;

import io.github.widenet.stats.SamplingFloor;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Options of the PDE experiment, validated: the task (d, Δ, σ, init scale s with w ~ N(0, s²/d I)), the SGD runs
 * (widths N, seeds per width, time per sample ε (optionally per width), minibatch B, the ε-check factors of the
 * step-size extrapolation), the time grid (horizon T, recording
 * interval, histogram panel times) and the PDE solver (particles, RK4 step).
 */
public record PdeConfig(int d, double delta, PiecewiseLinearSigma sigma, double initScale, List<Integer> widths,
                        int seeds, double eps, Map<Integer, Double> epsAt, int batch, List<Double> epsCheckFactors, double horizon, double recordEvery,
                        List<Double> panelTimes, int particles, double pdeDt, int testSize, int floorReps, int bins,
                        long seed, boolean verify, boolean singlePrecision, Duration checkpointInterval) {

    public static final int MIN_D = 10;
    public static final int MAX_D = 2000;
    public static final int MIN_N = 10;
    public static final int MAX_N = 100_000;
    public static final double MAX_EPS = 1e-2;

    /** Checks every option; the message names the option and its value. */
    public PdeConfig {
        require(d >= MIN_D && d <= MAX_D, "--d", d, "must be in [" + MIN_D + ", " + MAX_D + "]");
        require(delta > 0 && delta < 1, "--delta", delta, "must be in (0, 1) (class scales 1 ± Delta)");
        require(initScale > 0 && Double.isFinite(initScale), "--init-scale", initScale, "must be > 0");
        require(!widths.isEmpty(), "--widths", widths, "needs at least one width");
        for (int n : widths) {
            require(n >= MIN_N && n <= MAX_N, "--widths", n, "each N must be in [" + MIN_N + ", " + MAX_N + "]");
        }
        require(seeds >= 1 && seeds <= 100, "--seeds", seeds, "must be in [1, 100]");
        require(eps > 0 && eps <= MAX_EPS, "--eps", eps, "must be in (0, " + MAX_EPS + "]");
        for (Map.Entry<Integer, Double> e : epsAt.entrySet()) {
            require(e.getValue() > 0 && e.getValue() <= MAX_EPS, "--eps-at", e.getKey() + "=" + e.getValue(),
                    "each epsilon must be in (0, " + MAX_EPS + "]");
        }
        require(batch >= 1 && batch <= 100_000, "--batch", batch, "must be in [1, 100000]");
        double refEps = epsAt.getOrDefault(referenceWidth(widths), eps);
        for (double factor : epsCheckFactors) {
            require(factor > 0 && factor != 1 && factor * refEps <= MAX_EPS, "--eps-check", factor,
                    "each factor must be > 0 and not 1, with factor*eps <= " + MAX_EPS + " (0 alone = off)");
            double s2 = recordEvery / (refEps * factor * batch);
            require(Math.abs(s2 - Math.round(s2)) < 1e-6 * s2 && Math.round(s2) >= 1, "--eps-check", factor,
                    "--record-every must be a multiple of factor*eps*batch = " + factor * refEps * batch);
        }
        require(epsCheckFactors.stream().distinct().count() == epsCheckFactors.size(), "--eps-check",
                epsCheckFactors, "factors must differ");
        require(horizon > 0 && horizon <= 1000, "--horizon", horizon, "must be in (0, 1000]");
        require(recordEvery > 0 && recordEvery <= horizon, "--record-every", recordEvery, "must be in (0, horizon]");
        require(Math.abs(horizon / recordEvery - Math.round(horizon / recordEvery)) < 1e-9 * horizon / recordEvery,
                "--record-every", recordEvery, "must divide --horizon " + horizon);
        java.util.List<Double> allEps = new java.util.ArrayList<>(epsAt.values());
        allEps.add(eps);
        for (double e : allEps) {
            double stride = recordEvery / (e * batch);
            require(Math.abs(stride - Math.round(stride)) < 1e-6 * stride && Math.round(stride) >= 1, "--record-every",
                    recordEvery, "must be a multiple of eps*batch = " + e * batch);
        }
        for (double t : panelTimes) {
            double k = t / recordEvery;
            require(t >= 0 && t <= horizon + 1e-12 && Math.abs(k - Math.round(k)) < 1e-9 * Math.max(1, k),
                    "--panels", t, "each panel time must be a recorded time (a multiple of --record-every in [0, horizon])");
        }
        require(particles >= 100 && particles <= 200_000, "--particles", particles, "must be in [100, 200000]");
        require(pdeDt > 0 && pdeDt <= 0.5, "--pde-dt", pdeDt, "must be in (0, 0.5]");
        require(testSize >= 100, "--test-size", testSize, "must be >= 100");
        require(floorReps >= SamplingFloor.MIN_DRAWS, "--floor-reps", floorReps, "must be >= "
                + SamplingFloor.MIN_DRAWS + " (the floor's 97.5 % bound is estimated from these draws)");
        require(bins >= 5 && bins <= 1000, "--bins", bins, "must be in [5, 1000]");
    }

    private static void require(boolean ok, String option, Object value, String rule) {
        if (!ok) {
            throw new io.github.widenet.train.InvalidOptionException(option + " " + value + ": " + rule);
        }
    }

    /** The time per sample used at width N: the --eps-at entry for N, else --eps. */
    public double epsFor(int width) {
        return epsAt.getOrDefault(width, eps);
    }

    /** The recorded times 0, Δt_rec, 2Δt_rec, …, T. */
    public double[] recordTimes() {
        int n = (int) Math.round(horizon / recordEvery);
        double[] t = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            t[i] = i * recordEvery;
        }
        return t;
    }

    /** The index of a panel time in {@link #recordTimes()}. */
    public int timeIndex(double t) {
        return (int) Math.round(t / recordEvery);
    }

    public MixtureTask task() {
        return new MixtureTask(delta, d);
    }

    /** The width used for the ε check and the histogram panels: 800 when run, else the middle width. */
    public int referenceWidth() {
        return referenceWidth(widths);
    }

    private static int referenceWidth(List<Integer> widths) {
        return widths.isEmpty() ? 0 : widths.contains(800) ? 800 : widths.get(widths.size() / 2);
    }

    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("d", d);
        m.put("delta", delta);
        m.put("sigma", String.format(Locale.ROOT, "t1=%s,t2=%s,s1=%s,s2=%s", sigma.t1(), sigma.t2(), sigma.s1(),
                sigma.s2()));
        m.put("initScale", initScale);
        m.put("widths", widths);
        m.put("seeds", seeds);
        m.put("eps", eps);
        m.put("epsAt", epsAt);
        m.put("batch", batch);
        m.put("epsCheckFactors", epsCheckFactors);
        m.put("horizon", horizon);
        m.put("recordEvery", recordEvery);
        m.put("panelTimes", panelTimes);
        m.put("particles", particles);
        m.put("pdeDt", pdeDt);
        m.put("testSize", testSize);
        m.put("floorReps", floorReps);
        m.put("bins", bins);
        m.put("seed", seed);
        m.put("verify", verify);
        m.put("precision", singlePrecision ? "float" : "double");
        return m;
    }
}
