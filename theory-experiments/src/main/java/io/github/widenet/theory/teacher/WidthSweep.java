package io.github.widenet.theory.teacher;

import io.github.widenet.train.CliErrors;
import io.github.widenet.train.OptionRules;
import io.github.widenet.layers.MeanFieldLayer;
import io.github.widenet.layers.NtkLayer;
import io.github.widenet.layers.WidthScaledLayer;
import io.github.widenet.report.CsvTable;
import io.github.widenet.report.MarkdownReport;
import io.github.widenet.report.RunManifest;
import io.github.widenet.train.CheckpointStore;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Experiment (iii): test loss against the number of units m, scaling 1/√m vs 1/m, in two protocols.
 * <p>{@code --protocol reference} (the default) is the reference code's {@code test_vs_m.jl}: per trial a teacher of
 * m0 = 3 unit directions with ±1 output weights and outputs ×100, n = 1,000 training and 1,000 test points uniform on
 * the sphere S^(d−1), d = 100; students h = α Σ c_i max(w_i·x, 0) with all weights N(0, 1) (no symmetrisation, no
 * bias), full-batch GD ({@link ReferenceGd}) for 25,000 iterations with the reference step s = c/m, i.e. learning rate
 * η = c on L for α = 1/√m (c = 1) and η = c·m for α = 1/m (c = 0.05); widths 2 … 512, 10 trials; the measured number is
 * the test loss at the last iteration. Every run also records our convergence criterion ({@link ReferenceGd.Criterion}).
 * <p>{@code --protocol population} is the project's earlier variant: inputs x ~ N(0, I_d), a mean-field teacher
 * f*(x) = (1/m0)Σ_j s_j max(θ_j·x, 0) (m0 = 20), {@link MeanFieldLayer} students (1/m, SGD steps η·m) and {@link NtkLayer}
 * students (1/√m, steps η) from the symmetrised initialisation w_i ~ N(0, I/d), c_i ~ ±|N(0, 1)| in ± pairs, biases
 * frozen at 0; online SGD on fresh batches minimises the population risk R = (1/2)E(h − f*)², estimated on a fixed
 * sample and reported relative to R(0). Its convergence criterion: the estimated risk fell by at most a fraction
 * {@code --tolerance} over the last {@code --window} steps.
 */
@Command(name = "teacher-width", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Teacher-student (iii): test loss vs the number of units m, scaling 1/sqrt(m) vs 1/m.",
                "--protocol reference (default): the reference's test_vs_m.jl, full-batch GD on a fixed training set;",
                "--protocol population: online SGD on fresh samples, population risk (the project's variant)."},
        footer = {"", "Reference defaults (test_vs_m.jl): m0 = 3, outputs x100, n = 1000/1000 on the sphere, widths "
                + "2,3,4,6,8,12,16,24,32,64,128,256,512, 25000 iterations, 10 trials (hours; resumable per run; "
                + "--threads 2 uses both cores).",
                "--quick (reference): 2000 iterations, widths 2,4,...,128, 3 trials (a few minutes).",
                "Population defaults: m0 = 20, widths 4,...,128, 1000 SGD steps of 100, eta 0.5, 2 seeds (10 minutes); "
                        + "committed results/teacher-student/width: --widths 4,8,16,32,64,128,256 --steps 1500."})
public final class WidthSweep extends TeacherCommand {

    /** The two protocols. */
    enum Protocol { reference, population }

    /** Result of one (scaling, m, seed) run of the population protocol. */
    public record WidthResult(String scaling, int units, int seed, long steps, double risk, double relativeRisk,
                              double seconds, double riskBefore, long windowSteps, boolean converged) {
    }

    static final List<Integer> REFERENCE_WIDTHS = List.of(2, 3, 4, 6, 8, 12, 16, 24, 32, 64, 128, 256, 512);
    static final List<Integer> QUICK_WIDTHS = List.of(2, 4, 8, 16, 32, 64, 128);
    static final List<Integer> POPULATION_WIDTHS = List.of(4, 8, 16, 32, 64, 128);

    @Option(names = "--protocol", defaultValue = "reference",
            description = "reference (test_vs_m.jl: full-batch GD, fixed data) or population (online SGD) (default: ${DEFAULT-VALUE})")
    Protocol protocol;
    @Option(names = "--dim", defaultValue = "100", description = "input dimension d (default: ${DEFAULT-VALUE})")
    int dim;
    @Option(names = "--teacher-units", description = "teacher units m0 (default: 3 reference, 20 population)")
    Integer teacherUnits;
    @Option(names = "--widths", split = ",",
            description = "student widths m (default: reference 2,3,4,6,8,12,16,24,32,64,128,256,512; population "
                    + "4,8,16,32,64,128, even)")
    List<Integer> widths;
    @Option(names = "--seeds", description = "independent trials: teacher, data, inits (default: 10 reference, 2 population)")
    Integer seeds;
    @Option(names = "--window", description = "convergence window k: iterations (reference, default 1000) or SGD "
            + "steps (population, default steps/5)")
    Long window;
    @Option(names = "--tolerance", description = "converged when the loss fell by at most this fraction over the "
            + "window (default: 0.001 reference (train loss), 0.05 population (risk))")
    Double tolerance;
    @Option(names = "--quick", description = "reference protocol, for the options not given: 2000 iterations, widths "
            + "2,4,8,16,32,64,128, 3 trials")
    boolean quick;

    // reference protocol (test_vs_m.jl)
    @Option(names = "--train", defaultValue = "1000", description = "reference: training points n (default: ${DEFAULT-VALUE})")
    int nTrain;
    @Option(names = "--test", defaultValue = "1000", description = "reference: test points (default: ${DEFAULT-VALUE})")
    int nTest;
    @Option(names = "--iterations", description = "reference: full-batch GD iterations (default: 25000; --quick 2000)")
    Integer iterations;
    @Option(names = "--label-scale", defaultValue = "100", description = "reference: teacher outputs multiplied by (default: ${DEFAULT-VALUE})")
    double labelScale;
    @Option(names = "--ntk-step", defaultValue = "1", description = "reference: c in the step c/m of scaling 1/sqrt(m), "
            + "i.e. learning rate c on L (default: ${DEFAULT-VALUE})")
    double ntkStep;
    @Option(names = "--mf-step", defaultValue = "0.05", description = "reference: c in the step c/m of scaling 1/m, "
            + "i.e. learning rate c*m on L (default: ${DEFAULT-VALUE})")
    double mfStep;
    @Option(names = "--eval-every", defaultValue = "100", description = "reference: iterations between test-loss "
            + "evaluations; the last iteration is always evaluated (default: ${DEFAULT-VALUE})")
    int evalEvery;
    @Option(names = "--fit-floor", defaultValue = "1e-4", description = "reference: also converged when the train loss "
            + "is below this fraction of the zero function's (default: ${DEFAULT-VALUE})")
    double fitFloor;
    @Option(names = "--stop-at-convergence", description = "reference: end each run when the criterion first holds "
            + "(default: run the whole budget, as the reference)")
    boolean stopAtConvergence;

    // population protocol (the project's variant)
    @Option(names = "--steps", defaultValue = "1000", description = "population: SGD steps (default: ${DEFAULT-VALUE})")
    long steps;
    @Option(names = "--batch-size", defaultValue = "100", description = "population: fresh samples per step (default: ${DEFAULT-VALUE})")
    int batchSize;
    @Option(names = "--eta", defaultValue = "0.5",
            description = "population: base step; mean-field steps eta*m, NTK steps eta (default: ${DEFAULT-VALUE})")
    double eta;
    @Option(names = "--risk-samples", defaultValue = "10000", description = "population: fresh points estimating the risk (default: ${DEFAULT-VALUE})")
    int riskSamples;
    /** The reference protocol's units and report. */
    private final WidthReference reference = new WidthReference(this);
    public static void main(String[] args) {
        System.exit(CliErrors.execute(new WidthSweep(), args));
    }

    @Override
    public String taskDescription() {
        return "one run: trial x scaling x m";
    }

    private static final List<String> REFERENCE_ONLY = List.of("--train", "--test", "--iterations", "--label-scale",
            "--ntk-step", "--mf-step", "--eval-every", "--fit-floor", "--stop-at-convergence", "--quick");
    private static final List<String> POPULATION_ONLY = List.of("--steps", "--batch-size", "--eta", "--risk-samples");

    @Override
    java.util.Collection<String> notForWorkers() {
        return protocol == Protocol.reference ? POPULATION_ONLY : REFERENCE_ONLY;
    }

    /** The protocol's defaults (and --quick's) for the options not given; options of the other protocol refused. */
    @Override
    void applyDefaults() {
        var given = spec.commandLine().getParseResult();
        boolean ref = protocol == Protocol.reference;
        for (String o : ref ? POPULATION_ONLY : REFERENCE_ONLY) {
            OptionRules.require(!given.hasMatchedOption(o), o, given.matchedOptionValue(o, "given"),
                    "applies to --protocol " + (ref ? "population" : "reference") + " only");
        }
        if (teacherUnits == null) {
            teacherUnits = ref ? 3 : 20;
        }
        if (widths == null) {
            widths = ref ? (quick ? QUICK_WIDTHS : REFERENCE_WIDTHS) : POPULATION_WIDTHS;
        }
        if (seeds == null) {
            seeds = ref ? (quick ? 3 : 10) : 2;
        }
        if (iterations == null) {
            iterations = quick ? 2000 : 25000;
        }
        if (window == null) {
            window = ref ? Math.min(1000L, Math.max(1L, iterations / 2)) : Math.max(1L, steps / 5);
        }
        if (tolerance == null) {
            tolerance = ref ? 1e-3 : 0.05;
        }
    }

    @Override
    void validate() {
        OptionRules.require(dim >= 1, "--dim", dim, "must be >= 1");
        OptionRules.require(teacherUnits >= 1, "--teacher-units", teacherUnits, "must be >= 1");
        boolean ref = protocol == Protocol.reference;
        for (int m : widths) {
            if (ref) {
                OptionRules.require(m >= 1, "--widths", m, "every width must be >= 1");
            } else {
                OptionRules.require(m >= 2 && m % 2 == 0, "--widths", m, "every width must be even and >= 2");
            }
        }
        OptionRules.require(seeds >= 1, "--seeds", seeds, "must be >= 1");
        OptionRules.require(tolerance >= 0 && Double.isFinite(tolerance), "--tolerance", tolerance, "must be finite and >= 0");
        OptionRules.require(threads >= 1, "--threads", threads, "must be >= 1");
        if (ref) {
            OptionRules.require(nTrain >= 1, "--train", nTrain, "must be >= 1");
            OptionRules.require(nTest >= 1, "--test", nTest, "must be >= 1");
            OptionRules.require(iterations >= 1, "--iterations", iterations, "must be >= 1");
            OptionRules.require(window >= 1 && window < iterations, "--window", window,
                    "must be between 1 and --iterations " + iterations + " - 1");
            OptionRules.require(Double.isFinite(labelScale), "--label-scale", labelScale, "must be finite");
            OptionRules.require(ntkStep > 0 && Double.isFinite(ntkStep), "--ntk-step", ntkStep, "must be finite and > 0");
            OptionRules.require(mfStep > 0 && Double.isFinite(mfStep), "--mf-step", mfStep, "must be finite and > 0");
            OptionRules.require(evalEvery >= 1, "--eval-every", evalEvery, "must be >= 1");
            OptionRules.require(fitFloor >= 0 && Double.isFinite(fitFloor), "--fit-floor", fitFloor, "must be finite and >= 0");
        } else {
            OptionRules.require(steps >= 1, "--steps", steps, "must be >= 1");
            OptionRules.require(window >= 1 && window < steps, "--window", window,
                    "must be between 1 and --steps " + steps + " - 1");
            OptionRules.require(batchSize >= 1, "--batch-size", batchSize, "must be >= 1");
            OptionRules.require(eta > 0 && Double.isFinite(eta), "--eta", eta, "must be finite and > 0");
            OptionRules.require(riskSamples >= 1, "--risk-samples", riskSamples, "must be >= 1");
        }
    }

    Map<String, Object> options() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", protocol.name());
        m.put("dim", dim);
        m.put("teacherUnits", teacherUnits);
        m.put("widths", widths);
        if (protocol == Protocol.reference) {
            m.put("train", nTrain);
            m.put("test", nTest);
            m.put("iterations", iterations);
            m.put("labelScale", labelScale);
            m.put("inputs", "uniform on the unit sphere");
            m.put("teacher", labelScale + " * sum_j s_j relu(theta_j . x), |theta_j| = 1, s_j = +-1");
            m.put("init", "all weights N(0, 1), no symmetrisation, no bias");
            m.put("ntkStep", "s = " + ntkStep + "/m, scaling 1/sqrt(m): learning rate " + ntkStep + " on L");
            m.put("mfStep", "s = " + mfStep + "/m, scaling 1/m: learning rate " + mfStep + "*m on L");
            m.put("evalEvery", evalEvery);
            m.put("criterion", "train loss fell by at most " + tolerance + " of itself over the last " + window
                    + " iterations, or is below " + fitFloor + " of the zero function's");
            m.put("stopAtConvergence", stopAtConvergence);
        } else {
            m.put("steps", steps);
            m.put("batchSize", batchSize);
            m.put("eta", eta);
            m.put("meanFieldStep", "eta * m");
            m.put("ntkStep", "eta");
            m.put("riskSamples", riskSamples);
            m.put("inputs", "N(0, I_d)");
            m.put("teacher", "(1/m0) sum_j s_j relu(theta_j . x), |theta_j| = 1");
            m.put("criterion", "estimated risk fell by at most " + tolerance + " of itself over the last " + window
                    + " steps");
        }
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
        CheckpointStore store = start();
        if (protocol == Protocol.reference) {
            reference.run(store);
            return 0;
        }
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        RunManifest manifest = new RunManifest("teacher-width", options(), seed);
        log.printf(Locale.ROOT, "population protocol: d=%d, teacher m0=%d, widths %s, %d SGD steps of %d fresh points, "
                + "eta %g, %d seeds%n", dim, teacherUnits, widths, steps, batchSize, eta, seeds);
        List<WidthResult> finished = runTasks(populationTasks(store), store);
        finishProgress();
        write(finished, manifest);
        return 0;
    }

    @Override
    Map<String, ? extends ParallelTasks.Task<?>> tasks(CheckpointStore store) {
        return protocol == Protocol.reference ? reference.tasks(store) : populationTasks(store);
    }

    /** A seed's teacher and the fixed sample estimating the risk. */
    private record RiskSample(Teacher teacher, double[][] x, double[] y, double zeroRisk) {
    }

    private RiskSample riskSample(int s) {
        Random dataRng = new Random(seed * 1_000_003L + s);
        Teacher teacher = Teacher.random(teacherUnits, dim, dataRng);
        double[][] riskX = gaussian(riskSamples, dim, dataRng);
        double[] riskY = scaled(teacher.labels(riskX), 1.0 / teacherUnits);
        return new RiskSample(teacher, riskX, riskY, Losses.halfMse(new double[riskY.length], riskY));
    }

    /** The population protocol: one task per (seed, scaling, m), seed-major; a seed's sample drawn by its first task. */
    private Map<String, ParallelTasks.Task<WidthResult>> populationTasks(CheckpointStore store) {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        progress("width sweep", 2L * seeds * widths.size() * steps);
        Map<String, ParallelTasks.Task<WidthResult>> tasks = new LinkedHashMap<>();
        for (int s = 0; s < seeds; s++) {
            int seedIndex = s;
            java.util.function.Supplier<RiskSample> sample = once(() -> riskSample(seedIndex));
            for (String scaling : List.of("mean-field", "ntk")) {
                for (int m : widths) {
                    String task = String.format(Locale.ROOT, "%s,m=%d,seed=%d", scaling, m, s);
                    tasks.put(task, () -> recordedOrTrained(store, task, WidthResult.class, steps,
                            WidthResult::relativeRisk, advance -> trainPopulation(sample.get(), seedIndex, scaling, m,
                                    advance)));
                }
            }
        }
        return tasks;
    }

    private WidthResult trainPopulation(RiskSample rs, int s, String scaling, int m, Advance advance) {
        long start = System.nanoTime();
        MultiLayerNetwork net = student(scaling.equals("mean-field"), dim, m, eta, new Random(seed * 7_919L + 31L * s + m));
        Random stream = new Random(seed * 104_729L + 131L * s + m);
        double riskBefore = Double.NaN;
        for (long t = 1; t <= steps; t++) {
            if (t == steps - window + 1) {       // the risk before the last window of steps
                riskBefore = Losses.halfMse(net.output(Nd4j.createFromArray(rs.x())).reshape(-1).toDoubleVector(),
                        rs.y());
            }
            double[][] x = gaussian(batchSize, dim, stream);
            net.fit(new DataSet(Nd4j.createFromArray(x),
                    Nd4j.createFromArray(scaled(rs.teacher().labels(x), 1.0 / teacherUnits)).reshape(-1, 1)));
            advance.by(1, batchSize);
        }
        INDArray pred = net.output(Nd4j.createFromArray(rs.x()));
        double risk = Losses.halfMse(pred.reshape(-1).toDoubleVector(), rs.y());
        return new WidthResult(scaling, m, s, steps, risk, risk / rs.zeroRisk(), (System.nanoTime() - start) / 1e9,
                riskBefore, window, riskBefore - risk <= tolerance * risk);
    }

    private double[] meanRelativeRisk(List<WidthResult> finished, String scaling) {
        double[] mean = new double[widths.size()];
        for (int i = 0; i < widths.size(); i++) {
            int m = widths.get(i);
            mean[i] = finished.stream().filter(r -> r.scaling().equals(scaling) && r.units() == m)
                    .mapToDouble(WidthResult::relativeRisk).average().orElse(Double.NaN);
        }
        return mean;
    }

    private void write(List<WidthResult> finished, RunManifest manifest) throws IOException {
        CsvTable runs = new CsvTable("scaling", "units", "seed", "steps", "risk", "relative_risk", "seconds",
                "risk_before_window", "window_steps", "converged");
        for (WidthResult r : finished) {
            runs.add(r.scaling(), r.units(), r.seed(), r.steps(), r.risk(), r.relativeRisk(), r.seconds(),
                    r.riskBefore(), r.windowSteps(), r.converged());
        }
        results.csv("runs.csv", runs);
        double[] ms = widths.stream().mapToDouble(Integer::doubleValue).toArray();
        double[] mf = meanRelativeRisk(finished, "mean-field");
        double[] ntk = meanRelativeRisk(finished, "ntk");
        CsvTable summary = new CsvTable("units", "mean_field_relative_risk", "mf_ci_low", "mf_ci_high",
                "ntk_relative_risk", "ntk_ci_low", "ntk_ci_high", "converged_runs");
        for (int i = 0; i < ms.length; i++) {
            int m = widths.get(i);
            TInterval a = interval(finished, "mean-field", m);
            TInterval b = interval(finished, "ntk", m);
            summary.add(m, g(a.mean()), g(a.low()), g(a.high()), g(b.mean()), g(b.low()), g(b.high()),
                    finished.stream().filter(r -> r.units() == m && r.converged()).count() + " of "
                            + finished.stream().filter(r -> r.units() == m).count());
        }
        results.csv("summary.csv", summary);
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put("mean field (1/m, steps eta*m)", new double[][]{ms, positive(mf)});
        series.put("NTK (1/sqrt m, steps eta)", new double[][]{ms, positive(ntk)});
        results.lines("risk-vs-m.png", "Population risk at the end vs number of units",
                "units m", "risk / risk of h = 0", series, true, true);
        int last = ms.length - 1;
        MarkdownReport md = new MarkdownReport().heading(1, "Teacher-student (iii), population protocol: population risk vs number of units")
                .paragraph("Options: `" + options() + "`.")
                .paragraph(String.format(Locale.ROOT,
                        "Risk relative to that of the zero function, mean over %d seeds. Mean field: %.3g at m = %d, %.3g "
                                + "at m = %d. NTK scaling: %.3g at m = %d, %.3g at m = %d. At the largest width the NTK "
                                + "student's risk is %.1f× the mean-field student's.",
                        seeds, mf[0], widths.get(0), mf[last], widths.get(last), ntk[0], widths.get(0), ntk[last],
                        widths.get(last), ntk[last] / mf[last]))
                .paragraph(String.format(Locale.ROOT, "At the largest width, mean field %s, NTK %s (means over the "
                                + "seeds with 95%% t-intervals; seeds %s, base seed %d).",
                        interval(finished, "mean-field", widths.get(last)).text("%.3g"),
                        interval(finished, "ntk", widths.get(last)).text("%.3g"), seedList(), seed))
                .paragraph(String.format(Locale.ROOT, "Convergence criterion: the risk on the fixed sample fell by at "
                                + "most %s of itself over the last %d SGD steps. %d of %d runs met it (mean field %d of "
                                + "%d, NTK %d of %d).", PathsExperiment.plain(tolerance), window,
                        finished.stream().filter(WidthResult::converged).count(), finished.size(),
                        finished.stream().filter(r -> r.converged() && r.scaling().equals("mean-field")).count(),
                        finished.stream().filter(r -> r.scaling().equals("mean-field")).count(),
                        finished.stream().filter(r -> r.converged() && r.scaling().equals("ntk")).count(),
                        finished.stream().filter(r -> r.scaling().equals("ntk")).count()))
                .image("risk vs m", "plots/risk-vs-m.png")
                .heading(2, "Mean over seeds").table(summary)
                .paragraph("All runs: `runs.csv`.");
        results.report(md);
        manifest.put("runs", finished);
        results.manifest(manifest);
        for (int i = 0; i < ms.length; i++) {
            log.printf(Locale.ROOT, "m=%-5d mean-field %.4g  ntk %.4g%n", widths.get(i), mf[i], ntk[i]);
        }
        log.println(results.wrote());
    }

    private TInterval interval(List<WidthResult> finished, String scaling, int m) {
        return TInterval.of(finished.stream().filter(r -> r.scaling().equals(scaling) && r.units() == m)
                .mapToDouble(WidthResult::relativeRisk).toArray());
    }

    String seedList() {
        return java.util.stream.IntStream.range(0, seeds).mapToObj(Integer::toString)
                .collect(java.util.stream.Collectors.joining(", "));
    }

    static String g(double v) {
        return String.format(Locale.ROOT, "%.5g", v);
    }

    private static double[] positive(double[] v) {
        double[] p = v.clone();
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.max(p[i], 1e-12);
        }
        return p;
    }
}
