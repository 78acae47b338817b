package io.github.widenet.theory.teacher;

import io.github.widenet.layers.MeanFieldLayer;
import io.github.widenet.layers.NtkLayer;
import io.github.widenet.layers.WidthScaledLayer;
import io.github.widenet.report.CsvTable;
import io.github.widenet.report.MarkdownReport;
import io.github.widenet.report.Plots;
import io.github.widenet.report.RunManifest;
import io.github.widenet.train.CheckpointStore;
import io.github.widenet.train.ProgressBarListener;
import io.github.widenet.train.RunOptions;
import io.github.widenet.train.RunStart;
import io.github.widenet.train.StopSignal;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * Experiment (iii): population risk at convergence against the number of units m, mean-field vs NTK scaling. Inputs
 * x ~ N(0, I_d) (so θ·x = O(1)), a mean-field teacher f*(x) = (1/m0)Σ_j s_j max(θ_j·x, 0) with m0 unit directions
 * (the 1/m0 keeps the student's output weights O(1), hence its SGD stable at fixed η). Students:
 * {@link MeanFieldLayer} h = (1/m)Σ c_i max(w_i·x, 0) with SGD steps η·m (each unit moves O(1) per unit time), and
 * {@link NtkLayer} h = (1/√m)Σ … with steps η (lazy as m grows); both start from the symmetrised initialisation
 * w_i ~ N(0, I/d), c_i ~ ±|N(0, 1)| in ± pairs (h(w0) = 0), biases frozen at 0. Online SGD on fresh batches minimises the
 * population risk R = (1/2)E(h − f*)² directly; R is estimated at the end on a fixed sample of fresh points and reported
 * relative to R(0) = (1/2)E f*².
 */
@Command(name = "teacher-width", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Teacher-student (iii): population risk at convergence vs the number of units m,",
                "mean-field (1/m, steps eta*m) vs NTK (1/sqrt m, steps eta) scaling, online SGD on fresh samples."},
        footer = {"", "Defaults fit 10 minutes on 2 cores; committed results: --widths 4,8,16,32,64,128,256 --steps 1500"})
public final class WidthSweep implements Callable<Integer> {

    /** Result of one (scaling, m, seed) run. */
    public record WidthResult(String scaling, int units, int seed, long steps, double risk, double relativeRisk,
                              double seconds) {
    }

    @Option(names = "--dim", defaultValue = "100", description = "input dimension d (default: ${DEFAULT-VALUE})")
    int dim;
    @Option(names = "--teacher-units", defaultValue = "20", description = "teacher units m0 (default: ${DEFAULT-VALUE})")
    int teacherUnits;
    @Option(names = "--widths", split = ",", defaultValue = "4,8,16,32,64,128",
            description = "student widths m, even (default: ${DEFAULT-VALUE})")
    List<Integer> widths;
    @Option(names = "--steps", defaultValue = "1000", description = "SGD steps (default: ${DEFAULT-VALUE})")
    long steps;
    @Option(names = "--batch-size", defaultValue = "100", description = "fresh samples per step (default: ${DEFAULT-VALUE})")
    int batchSize;
    @Option(names = "--eta", defaultValue = "0.5",
            description = "base step; mean-field steps eta*m, NTK steps eta (default: ${DEFAULT-VALUE})")
    double eta;
    @Option(names = "--risk-samples", defaultValue = "10000", description = "fresh points estimating the risk (default: ${DEFAULT-VALUE})")
    int riskSamples;
    @Option(names = "--seeds", defaultValue = "2", description = "independent teachers/inits (default: ${DEFAULT-VALUE})")
    int seeds;
    @Option(names = "--seed", defaultValue = "1", description = "base random seed (default: ${DEFAULT-VALUE})")
    long seed;
    @Mixin
    RunOptions run = new RunOptions();
    @Spec
    CommandSpec spec;

    /** The run directory (from --out, chosen when the run starts). */
    private Path out;

    private PrintStream log = System.out;

    public static void main(String[] args) {
        System.exit(Cli.execute(new WidthSweep(), args));
    }

    private void validate() {
        Cli.require(this, dim >= 1, "--dim", dim, "must be >= 1");
        Cli.require(this, teacherUnits >= 1, "--teacher-units", teacherUnits, "must be >= 1");
        for (int m : widths) {
            Cli.require(this, m >= 2 && m % 2 == 0, "--widths", m, "every width must be even and >= 2");
        }
        Cli.require(this, steps >= 1, "--steps", steps, "must be >= 1");
        Cli.require(this, batchSize >= 1, "--batch-size", batchSize, "must be >= 1");
        Cli.require(this, eta > 0 && Double.isFinite(eta), "--eta", eta, "must be finite and > 0");
        Cli.require(this, riskSamples >= 1, "--risk-samples", riskSamples, "must be >= 1");
        Cli.require(this, seeds >= 1, "--seeds", seeds, "must be >= 1");
    }

    Map<String, Object> options() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dim", dim);
        m.put("teacherUnits", teacherUnits);
        m.put("widths", widths);
        m.put("steps", steps);
        m.put("batchSize", batchSize);
        m.put("eta", eta);
        m.put("meanFieldStep", "eta * m");
        m.put("ntkStep", "eta");
        m.put("riskSamples", riskSamples);
        m.put("inputs", "N(0, I_d)");
        m.put("teacher", "(1/m0) sum_j s_j relu(theta_j . x), |theta_j| = 1");
        m.put("seeds", seeds);
        m.put("seed", seed);
        return m;
    }

    /** A student of m units: exponent 1 (mean field) or 1/2 (NTK), symmetrised initialisation, frozen biases. */
    static MultiLayerNetwork student(boolean meanField, int d, int m, double eta, Random rng) {
        WidthScaledLayer.Builder<?> b = meanField ? MeanFieldLayer.builder() : NtkLayer.builder();
        double lr = (meanField ? eta * m : eta) / 2;              // DL4J's MSE gradient is twice that of (1/2)(h − y)²
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .seed(0).updater(new Sgd(lr)).list()
                .layer(b.nIn(d).units(m).nOut(1).biasUpdater(new Sgd(0.0)).activation(Activation.RELU).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build())
                .build());
        net.init();
        Layer block = net.getLayer(0);
        double[][] w = new double[d][m];
        double[][] c = new double[m][1];
        for (int i = 0; i < m / 2; i++) {
            for (int q = 0; q < d; q++) {
                w[q][i] = rng.nextGaussian() / Math.sqrt(d);
                w[q][i + m / 2] = w[q][i];
            }
            c[i][0] = Math.abs(rng.nextGaussian());
            c[i + m / 2][0] = -c[i][0];
        }
        block.getParam(WidthScaledLayer.INPUT_WEIGHT_KEY).assign(Nd4j.createFromArray(w));
        block.getParam(WidthScaledLayer.OUTPUT_WEIGHT_KEY).assign(Nd4j.createFromArray(c));
        block.getParam(WidthScaledLayer.BIAS_KEY).assign(0);
        return net;
    }

    static double[] scaled(double[] v, double factor) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = factor * v[i];
        }
        return out;
    }

    static double[][] gaussian(int n, int d, Random rng) {
        double[][] x = new double[n][d];
        for (double[] row : x) {
            for (int q = 0; q < d; q++) {
                row[q] = rng.nextGaussian();
            }
        }
        return x;
    }

    @Override
    public Integer call() throws IOException {
        validate();
        out = RunStart.open("teacher-width", run, RunOptions.numbers(spec)).data(Map.of()).dir();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        RunManifest manifest = new RunManifest("teacher-width", options(), seed);
        CheckpointStore store = new CheckpointStore(out.resolve("checkpoints"), Duration.ofMinutes(5));
        log.printf(Locale.ROOT, "d=%d, teacher m0=%d, widths %s, %d SGD steps of %d fresh points, eta %g, %d seeds%n", dim,
                teacherUnits, widths, steps, batchSize, eta, seeds);
        ProgressBarListener bar = new ProgressBarListener("width sweep", 2L * seeds * widths.size() * steps);
        long done = 0;
        List<WidthResult> results = new ArrayList<>();
        for (int s = 0; s < seeds; s++) {
            Random dataRng = new Random(seed * 1_000_003L + s);
            Teacher teacher = Teacher.random(teacherUnits, dim, dataRng);
            double[][] riskX = gaussian(riskSamples, dim, dataRng);
            double[] riskY = scaled(teacher.labels(riskX), 1.0 / teacherUnits);
            double risk0 = Losses.halfMse(new double[riskY.length], riskY);
            for (String scaling : List.of("mean-field", "ntk")) {
                for (int m : widths) {
                    String unit = String.format(Locale.ROOT, "%s,m=%d,seed=%d", scaling, m, s);
                    Optional<WidthResult> r = store.result(unit, WidthResult.class);
                    if (r.isEmpty()) {
                        StopSignal.check("teacher-width", out, "before unit " + unit);
                        long base = done;
                        long start = System.nanoTime();
                        MultiLayerNetwork net = student(scaling.equals("mean-field"), dim, m, eta,
                                new Random(seed * 7_919L + 31L * s + m));
                        Random stream = new Random(seed * 104_729L + 131L * s + m);
                        for (long t = 1; t <= steps; t++) {
                            double[][] x = gaussian(batchSize, dim, stream);
                            net.fit(new DataSet(Nd4j.createFromArray(x),
                                    Nd4j.createFromArray(scaled(teacher.labels(x), 1.0 / teacherUnits)).reshape(-1, 1)));
                            bar.step(base + t, Double.NaN, batchSize);
                        }
                        INDArray pred = net.output(Nd4j.createFromArray(riskX));
                        double risk = Losses.halfMse(pred.reshape(-1).toDoubleVector(), riskY);
                        WidthResult res = new WidthResult(scaling, m, s, steps, risk, risk / risk0,
                                (System.nanoTime() - start) / 1e9);
                        store.markDone(unit, res);
                        r = Optional.of(res);
                    }
                    done += steps;
                    bar.step(done, r.get().relativeRisk(), 0);
                    results.add(r.get());
                }
            }
        }
        bar.finish();
        write(results, manifest);
        return 0;
    }

    private double[] meanRelativeRisk(List<WidthResult> results, String scaling) {
        double[] mean = new double[widths.size()];
        for (int i = 0; i < widths.size(); i++) {
            int m = widths.get(i);
            mean[i] = results.stream().filter(r -> r.scaling().equals(scaling) && r.units() == m)
                    .mapToDouble(WidthResult::relativeRisk).average().orElse(Double.NaN);
        }
        return mean;
    }

    private void write(List<WidthResult> results, RunManifest manifest) throws IOException {
        CsvTable runs = new CsvTable("scaling", "units", "seed", "steps", "risk", "relative_risk", "seconds");
        for (WidthResult r : results) {
            runs.add(r.scaling(), r.units(), r.seed(), r.steps(), r.risk(), r.relativeRisk(), r.seconds());
        }
        runs.write(out.resolve("runs.csv"));
        double[] ms = widths.stream().mapToDouble(Integer::doubleValue).toArray();
        double[] mf = meanRelativeRisk(results, "mean-field");
        double[] ntk = meanRelativeRisk(results, "ntk");
        CsvTable summary = new CsvTable("units", "mean_field_relative_risk", "ntk_relative_risk");
        for (int i = 0; i < ms.length; i++) {
            summary.add(widths.get(i), String.format(Locale.ROOT, "%.5g", mf[i]), String.format(Locale.ROOT, "%.5g", ntk[i]));
        }
        summary.write(out.resolve("summary.csv"));
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put("mean field (1/m, steps eta*m)", new double[][]{ms, positive(mf)});
        series.put("NTK (1/sqrt m, steps eta)", new double[][]{ms, positive(ntk)});
        Plots.lines(out.resolve("plots/risk-vs-m.png"), "Population risk at the end vs number of units",
                "units m", "risk / risk of h = 0", series, true, true);
        int last = ms.length - 1;
        MarkdownReport md = new MarkdownReport().heading(1, "Teacher-student (iii): population risk vs number of units")
                .paragraph("Options: `" + options() + "`.")
                .paragraph(String.format(Locale.ROOT,
                        "Risk relative to that of the zero function, mean over %d seeds. Mean field: %.3g at m = %d, %.3g "
                                + "at m = %d. NTK scaling: %.3g at m = %d, %.3g at m = %d. At the largest width the NTK "
                                + "student's risk is %.1f× the mean-field student's.",
                        seeds, mf[0], widths.get(0), mf[last], widths.get(last), ntk[0], widths.get(0), ntk[last],
                        widths.get(last), ntk[last] / mf[last]))
                .image("risk vs m", "plots/risk-vs-m.png")
                .heading(2, "Mean over seeds").table(summary)
                .paragraph("All runs: `runs.csv`.");
        md.write(out.resolve("report.md"));
        manifest.put("runs", results);
        manifest.write(out.resolve("manifest.json"));
        for (int i = 0; i < ms.length; i++) {
            log.printf(Locale.ROOT, "m=%-5d mean-field %.4g  ntk %.4g%n", widths.get(i), mf[i], ntk[i]);
        }
        log.println("Wrote " + out.toAbsolutePath() + ": report.md, manifest.json, runs.csv, summary.csv, plots/");
    }

    private static double[] positive(double[] v) {
        double[] p = v.clone();
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.max(p[i], 1e-12);
        }
        return p;
    }
}
