package io.github.widenet.theory.teacher;

import io.github.widenet.train.CliErrors;
import io.github.widenet.train.OptionRules;
import io.github.widenet.diagnostics.RelativeScale;
import io.github.widenet.ntk.EmpiricalNtk;
import io.github.widenet.report.RunManifest;
import io.github.widenet.train.CheckpointStore;
import io.github.widenet.train.StopSignal;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Experiment (ii): generalisation against the initial scale τ (Chizat–Oyallon–Bach 2019, Fig. 3). A symmetrised ReLU
 * student h = Σ_i c_i max(w_i·x + b_i, 0) ({@link Student}, d → m → 1, biases frozen at 0) is trained by full-batch GD
 * with step min(cap, c/τ²) from τ·w0 on a teacher's labels (in BLAS, {@link ReferenceGd}, from the student's weights); test loss at the end and best during training, ≥ 1 seeds. The τ → ∞
 * limit is computed independently as kernel regression with the empirical NTK at w0 ({@link KernelRegression}), and κ
 * ({@link RelativeScale}) is measured at every τ.
 */
@Command(name = "teacher-scale", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Teacher-student (ii): test loss vs the initial scale tau of a symmetrised two-layer ReLU student,",
                "with the tau -> infinity limit computed as kernel regression with the empirical NTK, and kappa(tau)."},
        footer = {"", "Defaults are the reference's (test_vs_scale.jl): 10000 steps, 33 tau values 10^(-2.2:0.1:1), 10 "
                + "seeds, the test loss at every step (hours; resumable, one task per seed and tau; OMP_NUM_THREADS=1 with "
                + "--threads 2 uses both cores).",
                "--quick: 1500 steps, 7 tau values, 3 seeds, test loss every 50 steps (about 10 minutes)."})
public final class ScaleSweep extends TeacherCommand {

    @Option(names = "--dim", defaultValue = "100", description = "input dimension d (default: ${DEFAULT-VALUE})")
    int dim;
    @Option(names = "--teacher-units", defaultValue = "3", description = "teacher units m0 (default: ${DEFAULT-VALUE})")
    int teacherUnits;
    @Option(names = "--units", defaultValue = "50", description = "student units m, even (default: ${DEFAULT-VALUE})")
    int units;
    @Option(names = "--train", defaultValue = "1000", description = "training points n (default: ${DEFAULT-VALUE})")
    int nTrain;
    @Option(names = "--test", defaultValue = "1000", description = "test points (default: ${DEFAULT-VALUE})")
    int nTest;
    @Option(names = "--steps", defaultValue = "10000", description = "full-batch GD steps (default: ${DEFAULT-VALUE})")
    long steps;
    @Option(names = "--log-tau-min", defaultValue = "-2.2", description = "log10 of the smallest tau (default: ${DEFAULT-VALUE})")
    double logTauMin;
    @Option(names = "--log-tau-max", defaultValue = "1", description = "log10 of the largest tau (default: ${DEFAULT-VALUE})")
    double logTauMax;
    @Option(names = "--tau-points", defaultValue = "33", description = "tau values, log-spaced (default: ${DEFAULT-VALUE})")
    int tauPoints;
    @Option(names = "--step-constant", defaultValue = "0.1", description = "c in the step min(cap, c/tau^2) (default: ${DEFAULT-VALUE})")
    double stepConstant;
    @Option(names = "--step-cap", defaultValue = "10", description = "largest step (default: ${DEFAULT-VALUE})")
    double stepCap;
    @Option(names = "--seeds", defaultValue = "10", description = "independent problems (teacher, data, init) (default: ${DEFAULT-VALUE})")
    int seeds;
    @Option(names = "--kappa-seeds", defaultValue = "1", description = "seeds on which kappa is measured at every tau (default: ${DEFAULT-VALUE})")
    int kappaSeeds;
    @Option(names = "--eval-every", defaultValue = "1", description = "steps between test-loss evaluations (default: ${DEFAULT-VALUE})")
    long evalEvery;
    @Option(names = "--quick", description = "the reduced settings for the options not given: 1500 steps, 7 tau "
            + "values, 3 seeds, test loss every 50 steps")
    boolean quick;

    public static void main(String[] args) {
        System.exit(CliErrors.execute(new ScaleSweep(), args));
    }

    @Override
    public String taskDescription() {
        return "one GD run: seed x tau";
    }

    /** --quick: the reduced settings, for the options not given on the command line. */
    @Override
    void applyDefaults() {
        if (!quick) {
            return;
        }
        var given = spec.commandLine().getParseResult();
        if (!given.hasMatchedOption("--steps")) {
            steps = 1500;
        }
        if (!given.hasMatchedOption("--tau-points")) {
            tauPoints = 7;
        }
        if (!given.hasMatchedOption("--seeds")) {
            seeds = 3;
        }
        if (!given.hasMatchedOption("--eval-every")) {
            evalEvery = 50;
        }
    }

    @Override
    void validate() {
        OptionRules.require(dim >= 1, "--dim", dim, "must be >= 1");
        OptionRules.require(teacherUnits >= 1, "--teacher-units", teacherUnits, "must be >= 1");
        OptionRules.require(units >= 2 && units % 2 == 0, "--units", units, "must be even and >= 2");
        OptionRules.require(nTrain >= 2, "--train", nTrain, "must be >= 2");
        OptionRules.require(nTest >= 1, "--test", nTest, "must be >= 1");
        OptionRules.require(steps >= 1, "--steps", steps, "must be >= 1");
        OptionRules.require(tauPoints >= 1, "--tau-points", tauPoints, "must be >= 1");
        OptionRules.require(logTauMax >= logTauMin, "--log-tau-max", logTauMax, "must be >= --log-tau-min " + logTauMin);
        OptionRules.require(stepConstant > 0, "--step-constant", stepConstant, "must be > 0");
        OptionRules.require(stepCap > 0, "--step-cap", stepCap, "must be > 0");
        OptionRules.require(seeds >= 1, "--seeds", seeds, "must be >= 1");
        OptionRules.require(kappaSeeds >= 0 && kappaSeeds <= seeds, "--kappa-seeds", kappaSeeds,
                "must be between 0 and --seeds " + seeds + " (kappa is measured on the first seeds)");
        OptionRules.require(evalEvery >= 1, "--eval-every", evalEvery, "must be >= 1");
        OptionRules.require(threads >= 1 && threads <= 64, "--threads", threads, "must be in [1, 64]");
    }

    double[] taus() {
        double[] t = new double[tauPoints];
        for (int i = 0; i < tauPoints; i++) {
            double e = tauPoints == 1 ? logTauMax : logTauMin + (logTauMax - logTauMin) * i / (tauPoints - 1);
            t[i] = Math.pow(10, e);
        }
        return t;
    }

    double stepFor(double tau) {
        return Math.min(stepCap, stepConstant / (tau * tau));
    }

    Map<String, Object> options() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dim", dim);
        m.put("teacherUnits", teacherUnits);
        m.put("units", units);
        m.put("train", nTrain);
        m.put("test", nTest);
        m.put("steps", steps);
        m.put("taus", java.util.Arrays.stream(taus()).map(t -> Math.round(t * 1e6) / 1e6).boxed().toList());
        m.put("step", "min(" + stepCap + ", " + stepConstant + "/tau^2)");
        m.put("seeds", seeds);
        m.put("kappaSeeds", kappaSeeds);
        m.put("evalEvery", evalEvery);
        m.put("seed", seed);
        return m;
    }

    @Override
    public Integer call() throws IOException {
        CheckpointStore store = start();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        RunManifest manifest = new RunManifest("teacher-scale", options(), seed);
        double[] taus = taus();
        log.printf(Locale.ROOT, "d=%d, teacher m0=%d, student m=%d, n=%d train / %d test, %d GD steps, %d tau values in "
                        + "[%.4g, %.4g], step min(%g, %g/tau^2), %d seeds%n", dim, teacherUnits, units, nTrain, nTest,
                steps, taus.length, taus[0], taus[taus.length - 1], stepCap, stepConstant, seeds);
        List<KernelResult> kernels = new ArrayList<>();
        for (int s = 0; s < seeds; s++) {
            kernels.add(kernelLimit(problem(s), s, store));
        }
        List<ScaleResult> runs = runTasks(tasks(store), store);
        finishProgress();
        new ScaleReport(results, options(), taus, runs, kernels, log).write(manifest);
        return 0;
    }

    private Problem problem(int s) {
        return Problem.generate(dim, teacherUnits, nTrain, nTest, seed * 1_000_003L + s);
    }

    /** One task per (seed, τ), seed-major; a seed's problem is drawn once, by its first task to run. */
    @Override
    Map<String, ParallelTasks.Task<ScaleResult>> tasks(CheckpointStore store) {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        progress("tau sweep", (long) seeds * tauPoints * steps);
        Map<String, ParallelTasks.Task<ScaleResult>> work = new LinkedHashMap<>();
        for (int s = 0; s < seeds; s++) {
            int seedIndex = s;
            java.util.function.Supplier<Problem> problem = once(() -> problem(seedIndex));
            for (double tau : taus()) {
                String task = String.format(Locale.ROOT, "seed=%d,tau=%.6g", s, tau);
                work.put(task, () -> recordedOrTrained(store, task, ScaleResult.class, steps,
                        ScaleResult::finalTrainLoss, advance -> train(task, problem.get(), seedIndex, tau,
                                seedIndex < kappaSeeds, t -> advance.by(1, t % 100 == 0 ? 100L * nTrain : 0))));
            }
        }
        return work;
    }

    /** Unit-scale symmetrised initialisation of seed s (scaled by τ for each run). */
    private MultiLayerNetwork initialNetwork(int s, double tau) {
        MultiLayerNetwork net = Student.build(dim, units, 0.0, stepFor(tau));
        Student.initSymmetric(net, 1.0, new Random(seed * 7_919L + 31L * s + 1));
        net.params().muli(tau);
        return net;
    }

    /**
     * Trains task (seed s, τ): κ on the DL4J student at its initialisation, then T full-batch GD steps of
     * min(cap, c/τ²) on L from the same weights in {@link ReferenceGd} (h = Σ c_i max(w_i·x, 0), the student's biases
     * being frozen at 0), the test loss every {@code --eval-every} iterations and after the last step.
     */
    private ScaleResult train(String task, Problem problem, int s, double tau, boolean kappa,
                              java.util.function.LongConsumer progress) {
        MultiLayerNetwork net = initialNetwork(s, tau);
        RelativeScale.Estimate k = null;
        if (kappa) {
            k = new RelativeScale().excluding(Student.FROZEN).estimate(net, problem.trainFeatures(),
                    Nd4j.createFromArray(problem.trainY()).reshape(-1, 1));
        }
        ReferenceGd.Outcome t = problem.referenceGd().run(weights(net), 1.0, stepFor(tau), Math.toIntExact(steps + 1),
                Math.toIntExact(evalEvery), new ReferenceGd.Criterion(1, 0, 0), false, progress,
                () -> StopSignal.check("teacher-scale", out, "during task " + task + " (its steps are discarded)"));
        double nan = Double.NaN;
        return new ScaleResult(s, tau, stepFor(tau), steps, t.trainLoss(), t.testLoss(), t.bestTestLoss(),
                t.seconds(), k == null ? nan : k.residualNorm(), k == null ? nan : k.jacobianNorm(),
                k == null ? nan : k.hessianNorm(), k == null ? nan : k.kappa());
    }

    /** The student's units as {@link ReferenceGd} rows (w_i, c_i); its biases must be 0 (they are frozen there). */
    static double[][] weights(MultiLayerNetwork student) {
        double[][] u = Student.units(student);
        int d = u[0].length - 2;
        double[][] w = new double[u.length][d + 1];
        for (int i = 0; i < u.length; i++) {
            if (u[i][d] != 0) {
                throw new IllegalStateException("student unit " + i + " has bias " + u[i][d] + "; the GD keeps biases at 0");
            }
            System.arraycopy(u[i], 0, w[i], 0, d);
            w[i][d] = u[i][d + 1];
        }
        return w;
    }

    /** Kernel regression with the empirical NTK of the unit-scale initialisation, on [train; test] stacked. */
    private KernelResult kernelLimit(Problem problem, int s, CheckpointStore store) throws IOException {
        String task = "kernel-seed=" + s;
        Optional<KernelResult> done = store.result(task, KernelResult.class);
        if (done.isPresent()) {
            return done.get();
        }
        long start = System.nanoTime();
        MultiLayerNetwork net = initialNetwork(s, 1.0);
        INDArray all = Nd4j.concat(0, problem.trainFeatures(), problem.testFeatures());
        EmpiricalNtk ntk = EmpiricalNtk.of(net, EmpiricalNtk.blockSizeFor(512L << 20, 1, net.numParams(), DataType.DOUBLE))
                .excluding(Student.FROZEN);
        INDArray theta = ntk.gram(all, EmpiricalNtk.Output.TRACE);
        INDArray kTrain = theta.get(NDArrayIndex.interval(0, nTrain), NDArrayIndex.interval(0, nTrain)).dup();
        INDArray kTest = theta.get(NDArrayIndex.interval(nTrain, nTrain + nTest), NDArrayIndex.interval(0, nTrain)).dup();
        KernelRegression kr = new KernelRegression(kTrain, kTest);
        double[] y = problem.trainY();
        double[] lambda = kr.eigenvalues();
        double lmax = Double.NEGATIVE_INFINITY;
        double lmin = Double.POSITIVE_INFINITY;
        for (double l : lambda) {
            lmax = Math.max(lmax, l);
            lmin = Math.min(lmin, l);
        }
        NtkInterpolant matrixFree = NtkInterpolant.of(net, problem);
        KernelResult r = new KernelResult(s, steps, stepConstant,
                Losses.halfMse(kr.predictTrain(y, stepConstant, steps), y),
                Losses.halfMse(kr.predictTest(y, stepConstant, steps), problem.testY()),
                Losses.halfMse(kr.predictTrain(y, stepConstant, -1), y),
                Losses.halfMse(kr.predictTest(y, stepConstant, -1), problem.testY()),
                lmax, lmin, ntk.numParams() - units, (System.nanoTime() - start) / 1e9, matrixFree.trainLoss(),
                matrixFree.testLoss(), matrixFree.iterations(), matrixFree.residual());
        log.printf(Locale.ROOT, "seed %d: NTK limit (P=%d, lambda in [%.3g, %.3g]): kernel GD test loss %.5f, "
                        + "interpolant %.5f (eigendecomposition) / %.5f (matrix-free, %d CG iterations) (%.1f s)%n", s,
                r.numParams(), lmin, lmax, r.kernelGdTestLoss(), r.interpolantTestLoss(), r.matrixFreeTestLoss(),
                r.matrixFreeIterations(), r.seconds());
        store.markDone(task, r);
        return r;
    }
}
