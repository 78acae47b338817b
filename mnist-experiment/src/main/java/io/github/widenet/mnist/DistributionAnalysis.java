package io.github.widenet.mnist;

import io.github.widenet.report.RunOutputs;
import io.github.widenet.report.CsvTable;
import io.github.widenet.report.Histogram;
import io.github.widenet.report.Plots;
import io.github.widenet.stats.SamplingFloor;
import org.knowm.xchart.XYChart;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Compares the distributions of the units' parameters across widths for one scaling. For every quantity (pooled c, c per
 * class, ‖w‖, b) all widths and recorded steps share one set of bin edges; the analysis computes, at every recorded step,
 * the 1-Wasserstein distance of each width's histogram to the largest width's (convergence in N) and to its own initial
 * histogram (how far the distribution moved), both on the common bins and exactly on the raw samples; and, as the
 * yardstick for the distance to the largest width, the sampling floor of each width ({@link SamplingFloor}).
 */
final class DistributionAnalysis {

    /**
     * One row of the W1 table; {@code unitMovement} is the mean over units of |q_i(step) − q_i(0)| (units keep their
     * identity, so this measures how far individual units moved, while W1 measures how far the distribution moved).
     */
    record W1Row(String scaling, String quantity, long step, int width, double histToLargest, double exactToLargest,
                 double histFromInit, double exactFromInit, double unitMovement) {
    }

    private final Scaling scaling;
    private final RunConfig config;
    private final Map<Integer, LongFunction<UnitSnapshot>> snapshots;
    private final List<W1Row> rows = new ArrayList<>();
    /** quantity → edges; (quantity, step, width) → counts. */
    private final Map<String, double[]> edges = new LinkedHashMap<>();
    private final Map<String, long[]> counts = new LinkedHashMap<>();
    /** quantity → width → sampling floor (exact W1 of independent initial samples of N and N_max units). */
    private final Map<String, Map<Integer, SamplingFloor>> floors = new LinkedHashMap<>();
    /** width → per-class histograms of c at the last step, on the pooled c bins. */
    private final Map<Integer, Map<String, long[]>> classesAtEnd = new LinkedHashMap<>();

    /**
     * @param snapshots width → (step → snapshot) loader
     */
    DistributionAnalysis(Scaling scaling, RunConfig config, Map<Integer, LongFunction<UnitSnapshot>> snapshots) {
        this.scaling = scaling;
        this.config = config;
        this.snapshots = snapshots;
    }

    private static String key(String quantity, long step, int width) {
        return quantity + "@" + step + "@" + width;
    }

    DistributionAnalysis compute() {
        List<Long> steps = config.snapshotSteps();
        List<Integer> widths = config.widths();
        int largest = config.largestWidth();
        Map<Long, Map<Integer, UnitSnapshot>> all = new LinkedHashMap<>();
        for (long s : steps) {
            Map<Integer, UnitSnapshot> byWidth = new LinkedHashMap<>();
            for (int m : widths) {
                byWidth.put(m, snapshots.get(m).apply(s));
            }
            all.put(s, byWidth);
        }
        int classes = all.get(steps.get(0)).get(widths.get(0)).classes();
        double[] pooledEdges = null;
        for (String q : UnitSnapshot.quantities(classes)) {
            List<double[]> samples = new ArrayList<>();
            Map<String, double[]> values = new LinkedHashMap<>();
            for (long s : steps) {
                for (int m : widths) {
                    double[] v = all.get(s).get(m).values(q);
                    values.put(key(q, s, m), v);
                    samples.add(v);
                }
            }
            double[] e = Histogram.commonEdges(config.bins(), 0.001, samples.toArray(new double[0][]));
            edges.put(q, e);
            Map<String, Histogram> hists = new LinkedHashMap<>();
            for (Map.Entry<String, double[]> v : values.entrySet()) {
                Histogram h = Histogram.of(v.getValue(), e);
                hists.put(v.getKey(), h);
                counts.put(v.getKey(), h.counts());
            }
            if (q.equals("c")) {
                pooledEdges = e;
            }
            for (long s : steps) {
                for (int m : widths) {
                    Histogram h = hists.get(key(q, s, m));
                    Histogram big = hists.get(key(q, s, largest));
                    Histogram init = hists.get(key(q, steps.get(0), m));
                    double[] v = values.get(key(q, s, m));
                    double[] v0 = values.get(key(q, steps.get(0), m));
                    rows.add(new W1Row(scaling.label(), q, s, m, h.wasserstein1(big),
                            Histogram.wasserstein1(v, values.get(key(q, s, largest))), h.wasserstein1(init),
                            Histogram.wasserstein1(v, v0), meanAbsDifference(v, v0)));
                }
            }
        }
        long last = steps.get(steps.size() - 1);
        for (int m : widths) {
            Map<String, long[]> perClass = new LinkedHashMap<>();
            for (int k = 0; k < classes; k++) {
                perClass.put("class " + k, Histogram.of(all.get(last).get(m).values("c" + k), pooledEdges).counts());
            }
            classesAtEnd.put(m, perClass);
        }
        return this;
    }

    /**
     * Sampling floors of every quantity and width from {@code draws} independent draws each; quantities with the same
     * initial law and sample size (the classes' c) share one set of draws ({@code cache}, shared across scalings too).
     */
    DistributionAnalysis computeFloors(int nIn, int draws, long seed, Map<String, SamplingFloor> cache) {
        int largest = config.largestWidth();
        for (String q : edges.keySet()) {
            String law = lawName(q);
            int perUnit = q.equals("c") ? classes() : 1;
            Map<Integer, SamplingFloor> byWidth = new LinkedHashMap<>();
            for (int m : config.widths()) {
                String key = law + "/" + perUnit + "/" + m;
                byWidth.put(m, m == largest || law.equals("zero") ? SamplingFloor.zero()
                        : cache.computeIfAbsent(key, k -> SamplingFloor.twoSample(initialLaw(law, nIn), m, largest,
                        perUnit, draws, seed + m + 7919L * perUnit + (law.equals("norm") ? 104_729L : 0))));
            }
            floors.put(q, byWidth);
        }
        return this;
    }

    /** The initial law of a quantity under the experiment's initialisation (WidthScaledLayer's defaults). */
    private static String lawName(String q) {
        return q.equals("wnorm") ? "norm" : q.equals("b") ? "zero" : "gaussian";
    }

    private static SamplingFloor.Law initialLaw(String name, int nIn) {
        return name.equals("norm") ? SamplingFloor.Law.gaussianNorm(nIn, 1 / Math.sqrt(nIn))
                : SamplingFloor.Law.gaussian(1.0);
    }

    /** The quantities analysed (c, c0 … c9, wnorm, b). */
    java.util.Set<String> quantities() {
        return edges.keySet();
    }

    private int classes() {
        return (int) edges.keySet().stream().filter(k -> k.matches("c\\d+")).count();
    }

    /** The sampling floor of a quantity at a width (zero for the largest width and for b). */
    SamplingFloor floor(String quantity, int width) {
        Map<Integer, SamplingFloor> f = floors.get(quantity);
        if (f == null) {
            throw new IllegalStateException("sampling floors not computed (computeFloors)");
        }
        return f.get(width);
    }

    private static double meanAbsDifference(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(a[i] - b[i]);
        }
        return sum / a.length;
    }

    List<W1Row> rows() {
        return rows;
    }

    /** The row for (quantity, step, width). */
    W1Row row(String quantity, long step, int width) {
        for (W1Row r : rows) {
            if (r.quantity().equals(quantity) && r.step() == step && r.width() == width) {
                return r;
            }
        }
        throw new IllegalArgumentException("no W1 row for " + quantity + ", step " + step + ", width " + width);
    }

    void addHistogramRows(CsvTable t) {
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            String[] k = e.getKey().split("@");
            double[] ed = edges.get(k[0]);
            long[] c = e.getValue();
            for (int b = 0; b < c.length; b++) {
                t.add(scaling.label(), k[0], Long.parseLong(k[1]), Integer.parseInt(k[2]), b, ed[b], ed[b + 1], c[b]);
            }
        }
    }

    void addFloorRows(CsvTable t) {
        for (Map.Entry<String, Map<Integer, SamplingFloor>> q : floors.entrySet()) {
            for (Map.Entry<Integer, SamplingFloor> w : q.getValue().entrySet()) {
                SamplingFloor f = w.getValue();
                t.add(scaling.label(), q.getKey(), w.getKey(), f.mean(), f.low(), f.high(), f.upper(1), f.draws());
            }
        }
    }

    void addW1Rows(CsvTable t) {
        for (W1Row r : rows) {
            t.add(r.scaling(), r.quantity(), r.step(), r.width(), r.histToLargest(), r.exactToLargest(),
                    r.histFromInit(), r.exactFromInit(), r.unitMovement());
        }
    }

    /** Writes the plots of this scaling into {@code out}'s plots; returns the file names. */
    List<String> plot(RunOutputs out) throws IOException {
        List<String> files = new ArrayList<>();
        long last = config.steps();
        long first = config.snapshotSteps().get(0);
        int largest = config.largestWidth();
        for (String q : List.of("c", "wnorm", "b")) {
            String name = scaling.label() + "-" + q + ".png";
            out.histograms(name, title(q, last), UnitSnapshot.axisLabel(q), edges.get(q),
                    seriesAtEnd(q, last, first, largest), false);
            files.add(name);
        }
        List<XYChart> panels = new ArrayList<>();
        int classes = 0;
        for (String q : edges.keySet()) {
            if (q.matches("c\\d+")) {
                panels.add(Plots.histogramChart("class " + q.substring(1), "c_i", edges.get(q),
                        seriesAtEnd(q, last, first, largest), false, 380, 260));
                classes++;
            }
        }
        String grid = scaling.label() + "-c-per-class.png";
        out.plot(grid, panels, 2, (classes + 1) / 2);
        files.add(grid);
        List<XYChart> byWidth = new ArrayList<>();
        for (int m : config.widths()) {
            XYChart panel = Plots.histogramChart("N = " + m, "c_i (per class)", edges.get("c"), classesAtEnd.get(m),
                    false, 520, 300);
            byWidth.add(panel);
        }
        String perN = scaling.label() + "-c-per-class-by-N.png";
        out.plot(perN, byWidth, 1, byWidth.size());
        files.add(perN);
        if (config.widths().size() > 1) {
            Map<String, double[][]> series = new LinkedHashMap<>();
            List<Integer> smaller = config.widths().subList(0, config.widths().size() - 1);
            for (String q : List.of("c", "wnorm", "b")) {
                double[] xs = new double[smaller.size()];
                double[] ys = new double[smaller.size()];
                double[] ys0 = new double[smaller.size()];
                for (int i = 0; i < xs.length; i++) {
                    xs[i] = smaller.get(i);
                    ys[i] = row(q, last, smaller.get(i)).exactToLargest();
                    ys0[i] = row(q, first, smaller.get(i)).exactToLargest();
                }
                // a distance of exactly 0 (b starts as a point mass at every N) has no place on a log axis: the
                // report's table gives it; the series is left out rather than drawn at an invented floor
                if (java.util.Arrays.stream(ys).allMatch(v -> v > 0)) {
                    series.put(q + " (end)", new double[][]{xs, ys});
                }
                if (java.util.Arrays.stream(ys0).allMatch(v -> v > 0)) {
                    series.put(q + " (init)", new double[][]{xs, ys0});
                }
                if (floors.containsKey(q) && !q.equals("b")) {
                    double[] fl = new double[xs.length];
                    double[] up = new double[xs.length];
                    double[] guide = new double[xs.length];
                    for (int i = 0; i < xs.length; i++) {
                        fl[i] = Math.max(1e-12, floor(q, smaller.get(i)).mean());
                        up[i] = Math.max(1e-12, floor(q, smaller.get(i)).upper(1));
                        guide[i] = fl[0] * Math.sqrt(xs[0] / xs[i]);      // N^(-1/2) through the first floor
                    }
                    series.put(q + " sampling floor", new double[][]{xs, fl});
                    series.put(q + " floor, 97.5% bound", new double[][]{xs.clone(), up});
                    series.put(q + " N^-1/2 guide", new double[][]{xs, guide});
                }
            }
            String w1 = scaling.label() + "-w1-to-largest.png";
            out.lines(w1, scaling.label() + ": exact W1 to the N=" + largest + " units", "hidden units N",
                    "W1 distance", series, true, true);
            files.add(w1);
        }
        return files;
    }

    private String title(String q, long step) {
        return scaling.label() + ": " + UnitSnapshot.axisLabel(q) + " after " + step + " steps";
    }

    private Map<String, long[]> seriesAtEnd(String q, long last, long first, int largest) {
        Map<String, long[]> s = new LinkedHashMap<>();
        for (int m : config.widths()) {
            s.put("N=" + m, counts.get(key(q, last, m)));
        }
        s.put("init (N=" + largest + ")", counts.get(key(q, first, largest)));
        return s;
    }
}
