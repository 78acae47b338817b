package io.github.widenet.theory.pde;

import io.github.widenet.report.RunManifest;
import io.github.widenet.theory.pde.sgd.MixtureSampler;
import io.github.widenet.theory.pde.sgd.SgdRun;
import io.github.widenet.theory.pde.sgd.SgdTrace;
import io.github.widenet.train.CheckpointStore;
import io.github.widenet.train.CliErrors;
import io.github.widenet.train.InvalidOptionException;
import io.github.widenet.train.RunOptions;
import io.github.widenet.train.RunStart;
import io.github.widenet.train.StopSignal;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
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
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Mei–Montanari–Nguyen (2018) Fig. 1 checked: SGD of a DL4J {@link io.github.widenet.layers.MeanFieldLayer}
 * f(x) = (1/N) Σ σ(⟨w_i, x⟩) on two centred Gaussians N(0, (1 ± Δ)² I_d) against the reduced distributional dynamics
 * ∂_t ρ = 2 ∂_r(ρ ∂_r Ψ(r; ρ)) for the law of r = ‖w‖ (theory-experiments/docs/pde.md). Writes report.md, CSVs,
 * PNGs and manifest.json.
 */
@Command(name = "pde", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"SGD of a mean-field two-layer net (DL4J MeanFieldLayer) against the reduced mean-field PDE",
                "for the unit norms (Mei-Montanari-Nguyen 2018, Fig. 1): histograms, W1 over time and width, risk."},
        footer = {"", "Exit codes: 0 done, 1 data/file error, 2 invalid option, 3 stopped (continue with --resume), 4 diverged."})
public final class PdeExperiment implements Callable<Integer> {

    @Option(names = "--d", defaultValue = "40", description = "input dimension d (default: ${DEFAULT-VALUE})")
    int d;

    @Option(names = "--delta", defaultValue = "0.8", description = "class scales 1 +- Delta (default: ${DEFAULT-VALUE})")
    double delta;

    @Option(names = "--widths", split = ",", defaultValue = "200,800,3200",
            description = "hidden widths N (default: ${DEFAULT-VALUE})")
    List<Integer> widths;

    @Option(names = "--seeds", defaultValue = "4", description = "SGD seeds per width (default: ${DEFAULT-VALUE})")
    int seeds;

    @Option(names = "--eps", defaultValue = "2e-5",
            description = "time per sample epsilon: SGD step eps*N per sample (default: ${DEFAULT-VALUE})")
    double eps;

    @Option(names = "--eps-at", split = ",",
            description = "per-width epsilon, N=eps,... (default: --eps at every width; the step-size part of W1 that "
                    + "--eps-check measures at the reference width is the same at every width)")
    java.util.Map<Integer, Double> epsAt;

    @Option(names = "--batch", defaultValue = "100",
            description = "minibatch B; one step advances t by eps*B (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--eps-check", split = ",", defaultValue = "0.5,2.5",
            description = "also run the reference width (first seed) at eps*factor for each factor, for the "
                    + "step-size extrapolation eps -> 0 (0 = off) (default: ${DEFAULT-VALUE})")
    List<Double> epsCheck;

    @Option(names = "--horizon", defaultValue = "30", description = "final time T (default: ${DEFAULT-VALUE})")
    double horizon;

    @Option(names = "--record-every", defaultValue = "0.5",
            description = "time between recorded snapshots (default: ${DEFAULT-VALUE})")
    double recordEvery;

    @Option(names = "--panels", split = ",", defaultValue = "0,1,2,4,8,15,30",
            description = "times of the histogram panels (default: ${DEFAULT-VALUE})")
    List<Double> panels;

    @Option(names = "--pde-horizon", defaultValue = "60",
            description = "also solve the PDE alone up to this time, to show where it settles (default: ${DEFAULT-VALUE})")
    double pdeHorizon;

    @Option(names = "--init-scale", defaultValue = "0.8",
            description = "w_i ~ N(0, s^2/d I) at t = 0 (default: ${DEFAULT-VALUE})")
    double initScale;

    @Option(names = "--sigma", split = ",", defaultValue = "0.5,1.5,-2.5,7.5",
            description = "t1,t2,s1,s2 of the piecewise linear activation (default: ${DEFAULT-VALUE})")
    List<Double> sigma;

    @Option(names = "--particles", defaultValue = "2000",
            description = "PDE particles (quantile particle method) (default: ${DEFAULT-VALUE})")
    int particles;

    @Option(names = "--pde-dt", defaultValue = "0.02", description = "PDE RK4 time step (default: ${DEFAULT-VALUE})")
    double pdeDt;

    @Option(names = "--test-size", defaultValue = "4000",
            description = "fresh test samples for the SGD risk (default: ${DEFAULT-VALUE})")
    int testSize;

    @Option(names = "--floor-reps", defaultValue = "200",
            description = "Monte Carlo draws for the sampling floor (default: ${DEFAULT-VALUE})")
    int floorReps;

    @Option(names = "--bins", defaultValue = "40", description = "histogram bins (default: ${DEFAULT-VALUE})")
    int bins;

    @Option(names = "--seed", defaultValue = "1", description = "base random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--no-verify", negatable = false, description = "skip the solver convergence study")
    boolean noVerify;

    @Option(names = "--float", description = "train SGD in float32 instead of double")
    boolean singlePrecision;

    @Mixin
    RunOptions runOptions = new RunOptions();

    @Spec
    CommandSpec spec;

    /** The run directory (from --out, chosen when the run starts). */
    private Path out;

    @Option(names = "--checkpoint-minutes", defaultValue = "3",
            description = "minutes between checkpoints (default: ${DEFAULT-VALUE})")
    double checkpointMinutes;

    @Option(names = "--stop-after-steps", hidden = true, defaultValue = "-1",
            description = "testing: stop (checkpointed) after this many SGD steps in this process")
    long stopAfterSteps;

    private PrintStream log = System.out;
    private PrintStream err = System.err;
    private io.github.widenet.train.TaskRunner taskRunner;

    public static void main(String[] args) {
        System.exit(commandLine(new PdeExperiment()).execute(args));
    }

    /** The command line with the project's one-line errors and exit codes ({@link CliErrors}). */
    static CommandLine commandLine(PdeExperiment e) {
        CommandLine cl = new CommandLine(e);
        cl.setErr(new java.io.PrintWriter(e.err, true));
        return CliErrors.configure(cl, "pde");
    }

    /** Runs the SGD tasks through {@code runner} (e.g. as Spark tasks) instead of one after the other here. */
    PdeExperiment withTaskRunner(io.github.widenet.train.TaskRunner runner) {
        this.taskRunner = runner;
        return this;
    }

    /** Runs with the given streams (tests pass their own). */
    PdeExperiment withLog(PrintStream log, PrintStream err) {
        this.log = log;
        this.err = err;
        return this;
    }

    PdeConfig config() {
        if (!(pdeHorizon >= 0 && pdeHorizon <= 1000)) {
            throw new InvalidOptionException("--pde-horizon " + pdeHorizon + ": must be in [0, 1000]");
        }
        if (sigma.size() != 4) {
            throw new InvalidOptionException("--sigma " + sigma + ": needs four numbers t1,t2,s1,s2");
        }
        java.util.Map<Integer, Double> perWidth = new java.util.TreeMap<>(epsAt == null ? java.util.Map.of() : epsAt);
        for (int n : perWidth.keySet()) {
            if (!widths.contains(n)) {
                throw new InvalidOptionException("--eps-at " + n + "=" + perWidth.get(n) + ": width " + n
                        + " is not in --widths " + widths);
            }
        }
        return new PdeConfig(d, delta, new PiecewiseLinearSigma(sigma.get(0), sigma.get(1), sigma.get(2), sigma.get(3)),
                initScale, widths, seeds, eps, perWidth, batch,
                epsCheck.size() == 1 && epsCheck.get(0) == 0 ? List.of() : List.copyOf(epsCheck), horizon,
                recordEvery, panels, particles, pdeDt,
                testSize, floorReps, bins, seed, !noVerify, singlePrecision,
                Duration.ofMillis((long) (checkpointMinutes * 60_000)));
    }

    @Override
    public Integer call() throws IOException {
        PdeConfig config = config();
        out = RunStart.open("pde", runOptions, RunOptions.numbers(spec, "--checkpoint-minutes")).data(java.util.Map.of()).dir();
        long started = System.nanoTime();
        RunManifest manifest = new RunManifest("theory-experiments/pde", config.asMap(), seed);
        MixtureTask task = config.task();
        RadialKernels kernels = new RadialKernels(task, config.sigma());
        InitialRadialLaw law = new InitialRadialLaw(config.d(), config.initScale());
        double[] times = config.recordTimes();
        log.printf(Locale.ROOT, "PDE: %d quantile particles, RK4 dt %s, Hermite order %d, t = 0..%s%n",
                config.particles(), config.pdeDt(), kernels.maxOrder(), config.horizon());
        PdeSolution pde = PdeSolution.solve(kernels, law, config.particles(), config.pdeDt(), times);
        PdeSolution orthogonal = PdeSolution.solve(new RadialKernels(task, config.sigma(), 0), law,
                config.particles(), config.pdeDt(), times);        // same n: the W1 between the two is not discretisation
        log.printf(Locale.ROOT, "PDE solved in %.1f s (risk %.4f -> %.4f)%n", pde.seconds(), pde.risk()[0],
                pde.risk()[times.length - 1]);

        PdeSolution longRun = null;
        if (pdeHorizon > config.horizon()) {
            int steps = (int) Math.ceil(pdeHorizon);
            double[] longTimes = new double[steps + 1];
            for (int i = 0; i <= steps; i++) {
                longTimes[i] = pdeHorizon * i / steps;
            }
            longRun = PdeSolution.solve(kernels, law, Math.max(100, config.particles() / 4), config.pdeDt(), longTimes);
            log.printf(Locale.ROOT, "PDE alone to t = %s in %.1f s%n", pdeHorizon, longRun.seconds());
        }

        SolverChecks checks = null;
        if (config.verify()) {
            checks = SolverChecks.run(kernels, law, Math.min(3.0, config.horizon()), log);
        }

        CheckpointStore store = new CheckpointStore(out.resolve("checkpoints"), config.checkpointInterval());
        java.util.Map<String, double[]> tasks = tasks(config);
        io.github.widenet.train.TaskProtocol.runPending(taskRunner, new ArrayList<>(tasks.keySet()), store::isDone,
                this::workerArgs, log);
        AtomicLong budget = new AtomicLong(stopAfterSteps < 0 ? Long.MAX_VALUE : stopAfterSteps);
        List<SgdTrace> traces = new ArrayList<>();
        DataSet test = testSample(config);
        for (double[] r : tasks.values()) {
            SgdRun run = sgdRun(config, r, times, test);
            Optional<SgdTrace> done = store.result(run.task(), SgdTrace.class);
            if (done.isEmpty()) {
                done = run.run(store, budget, log);
                if (done.isEmpty()) {
                    if (StopSignal.requested()) {
                        throw StopSignal.interrupted("pde", out, "in task " + run.task());
                    }
                    log.println("Stopped after the requested number of steps; continue with --resume --out " + out);
                    return 3;
                }
            } else {
                log.printf(Locale.ROOT, "%s: already finished in an earlier run%n", run.task());
            }
            SgdTrace t = done.get();
            log.printf(Locale.ROOT, "%s: %d samples in %.1f s, final W1 to PDE %.4f, test risk %.4f (PDE %.4f)%n",
                    run.task(), t.samples(), t.trainSeconds(),
                    io.github.widenet.report.Histogram.wasserstein1(t.norms()[times.length - 1],
                            pde.sortedPositions()[times.length - 1]),
                    t.testRisk()[times.length - 1], pde.risk()[times.length - 1]);
            traces.add(t);
        }
        io.github.widenet.report.RunOutputs results = new io.github.widenet.report.RunOutputs(out);
        new PdeReport(config, pde, orthogonal, longRun, traces, checks, results).write(manifest, log);
        manifest.put("pdeSeconds", pde.seconds());
        manifest.put("sgdSeconds", traces.stream().mapToDouble(SgdTrace::trainSeconds).sum());
        manifest.put("wallSecondsThisProcess", (System.nanoTime() - started) / 1e9);
        results.manifest(manifest);
        log.println(results.wrote());
        return 0;
    }

    /** The SGD runs {N, seed, ε} by task name, in order: every width × seed, then the ε checks at the reference width. */
    private static java.util.Map<String, double[]> tasks(PdeConfig config) {
        java.util.Map<String, double[]> m = new java.util.LinkedHashMap<>();
        for (int n : config.widths()) {
            for (int s = 0; s < config.seeds(); s++) {
                m.put(SgdTrace.task(n, config.seed() + s, config.epsFor(n)), new double[]{n, config.seed() + s,
                        config.epsFor(n)});
            }
        }
        for (double factor : config.epsCheckFactors()) {
            double eps = config.epsFor(config.referenceWidth()) * factor;
            m.put(SgdTrace.task(config.referenceWidth(), config.seed(), eps),
                    new double[]{config.referenceWidth(), config.seed(), eps});
        }
        return m;
    }

    /** The run's fixed test sample, shared by every SGD run. */
    private static DataSet testSample(PdeConfig config) {
        return new MixtureSampler(config.task(), config.seed() * 7919 + 17).batch(0, config.testSize(), dtype(config));
    }

    private static DataType dtype(PdeConfig config) {
        return config.singlePrecision() ? DataType.FLOAT : DataType.DOUBLE;
    }

    /** The SGD run {N, seed, ε} on the run's test sample. */
    private static SgdRun sgdRun(PdeConfig config, double[] r, double[] times, DataSet test) {
        return new SgdRun(config.task(), config.sigma(), config.initScale(), (int) r[0], (long) r[1], r[2],
                config.batch(), times, test, dtype(config));
    }

    /** The options a worker needs for {@link #runTask}: the run's numbers, the checkpoint interval, the absolute --out. */
    private List<String> workerArgs() {
        java.util.Map<String, Object> options = RunOptions.numbers(spec, "--checkpoint-minutes");
        options.put("--checkpoint-minutes", checkpointMinutes);
        options.put("--out", out);
        return io.github.widenet.train.TaskRunner.asArgs(options);
    }

    /**
     * Runs one SGD task (e.g. "sgd-N800-seed1-eps2.0E-5") of the run started in {@code args}' --out, as a
     * {@link io.github.widenet.train.TaskRunner}'s worker does: the same option checks and SGD code as a sequential
     * run; resumes from the task's checkpoint; a finished task is not run again.
     *
     * @throws IllegalArgumentException for options that differ from the run's (run-options.json) or an unknown task
     */
    static void runTask(List<String> args, String task, PrintStream log) throws IOException {
        PdeExperiment e = new PdeExperiment().withLog(log, log);
        new CommandLine(e).parseArgs(args.toArray(String[]::new));
        PdeConfig config = e.config();
        Path dir = e.runOptions.out();
        io.github.widenet.train.TaskProtocol.startedRun(dir, RunOptions.numbers(e.spec, "--checkpoint-minutes"));
        double[] r = io.github.widenet.train.TaskProtocol.find(tasks(config), task);
        CheckpointStore store = new CheckpointStore(dir.resolve("checkpoints"), config.checkpointInterval());
        if (store.isDone(task)) {
            return;
        }
        sgdRun(config, r, config.recordTimes(), testSample(config)).run(store, new AtomicLong(Long.MAX_VALUE), log)
                .orElseThrow(() -> new IllegalStateException(task + ": stopped without a result"));
    }
}
