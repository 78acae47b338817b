package io.github.widenet.theory.teacher;

import io.github.widenet.train.CliErrors;
import io.github.widenet.train.OptionRules;
import io.github.widenet.report.CsvTable;
import io.github.widenet.report.MarkdownReport;
import io.github.widenet.report.RunManifest;
import io.github.widenet.train.CheckpointStore;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.knowm.xchart.XYChart;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * Experiment (i): training paths of the units of a d = 2 student (Chizat–Oyallon–Bach 2019, Fig. 1). The symmetrised
 * ReLU {@link Student} starts at a small scale (not lazy: units travel to the teacher's) and at a large one (lazy: units
 * barely move while the loss still goes down); each unit is drawn as p_i = |c_i|·w_i in the plane with the teacher's
 * units θ_j marked.
 */
@Command(name = "teacher-paths", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Teacher-student (i): paths |c_i| w_i of a d=2 student's units, not lazy (small tau) vs lazy",
                "(large tau), for teachers of several sizes."},
        footer = {"", "The defaults are the reference's (illustration.jl): 15 train / 20 test points, 100000 GD steps of "
                + "0.005 for every tau, unit-norm input and Uniform[0, 1] output weights; --quick: the earlier reduced "
                + "settings. Run with OMP_NUM_THREADS=1 (tiny matrices: thread wake-ups cost more than the work)."})
public final class PathsExperiment extends TeacherCommand {

    @Option(names = "--teacher-units", split = ",", defaultValue = "3,5",
            description = "teacher sizes m0, one row of plots each (default: ${DEFAULT-VALUE})")
    List<Integer> teacherUnits;
    @Option(names = "--taus", split = ",", defaultValue = "0.1,2",
            description = "initial scales: first not lazy, last lazy (default: ${DEFAULT-VALUE})")
    List<Double> taus;
    @Option(names = "--units", defaultValue = "16", description = "student units m, even (default: ${DEFAULT-VALUE})")
    int units;
    @Option(names = "--train", defaultValue = "15", description = "training points (default: ${DEFAULT-VALUE}, the "
            + "reference's)")
    int nTrain;
    @Option(names = "--test", defaultValue = "20", description = "test points (default: ${DEFAULT-VALUE})")
    int nTest;
    @Option(names = "--steps", defaultValue = "100000", description = "full-batch GD steps (default: ${DEFAULT-VALUE})")
    long steps;
    @Option(names = "--step", defaultValue = "0.005", description = "fixed GD step for every tau, so every run gets "
            + "the same parameter time steps*step (default: ${DEFAULT-VALUE}, the reference's)")
    double fixedStep;
    @Option(names = "--step-constant", description = "instead of --step: the step min(--step-cap, c/tau^2) (--quick: "
            + "0.02)")
    Double stepConstant;
    @Option(names = "--step-cap", defaultValue = "0.05", description = "largest step with --step-constant (default: "
            + "${DEFAULT-VALUE})")
    double stepCap;
    @Option(names = "--init", defaultValue = "reference", paramLabel = "reference|gaussian", description = "reference: "
            + "unit-norm input weights and output weights Uniform[0, 1], all times tau (illustration.jl); gaussian: "
            + "N(0, tau^2 I) and tau |N(0, 1)| (default: ${DEFAULT-VALUE}); both symmetrised")
    String init;
    @Option(names = "--quick", description = "the earlier reduced settings for the options not given: 40 train / 500 "
            + "test points, 10000 steps of min(0.05, 0.02/tau^2), gaussian init")
    boolean quick;
    @Option(names = "--angle", defaultValue = "10", description = "degrees: a unit counts as on a teacher direction "
            + "within this angle of it, with the teacher unit's output sign (default: ${DEFAULT-VALUE})")
    double angle;
    @Option(names = "--snapshots", defaultValue = "120", description = "recorded positions per unit, log-spaced (default: ${DEFAULT-VALUE})")
    int snapshots;
    public static void main(String[] args) {
        System.exit(CliErrors.execute(new PathsExperiment(), args));
    }

    @Override
    public String taskDescription() {
        return "one GD run: teacher size x tau";
    }

    @Override
    void validate() {
        for (int m0 : teacherUnits) {
            OptionRules.require(m0 >= 1, "--teacher-units", m0, "must be >= 1");
        }
        for (double t : taus) {
            OptionRules.require(t > 0 && Double.isFinite(t), "--taus", t, "must be finite and > 0");
        }
        OptionRules.require(taus.size() >= 2 && taus.stream().distinct().count() == taus.size(), "--taus", taus,
                "give at least two distinct values: the report compares the smallest (not lazy) with the largest (lazy)");
        OptionRules.require(units >= 2 && units % 2 == 0, "--units", units, "must be even and >= 2");
        OptionRules.require(nTrain >= 1, "--train", nTrain, "must be >= 1");
        OptionRules.require(nTest >= 1, "--test", nTest, "must be >= 1");
        OptionRules.require(steps >= 1, "--steps", steps, "must be >= 1");
        OptionRules.require(stepConstant == null || stepConstant > 0 && Double.isFinite(stepConstant), "--step-constant",
                stepConstant, "must be finite and > 0");
        OptionRules.require(fixedStep > 0 && Double.isFinite(fixedStep), "--step", fixedStep, "must be finite and > 0");
        OptionRules.require(init.equals("reference") || init.equals("gaussian"), "--init", init,
                "must be reference or gaussian");
        OptionRules.require(angle > 0 && angle < 90, "--angle", angle, "must be in (0, 90) degrees");
        OptionRules.require(stepCap > 0 && Double.isFinite(stepCap), "--step-cap", stepCap, "must be finite and > 0");
        OptionRules.require(snapshots >= 2, "--snapshots", snapshots, "must be >= 2");
    }

    /** --quick: the reduced settings of the earlier committed run, for the options not given on the command line. */
    @Override
    void applyDefaults() {
        if (!quick) {
            return;
        }
        var given = spec.commandLine().getParseResult();
        if (!given.hasMatchedOption("--train")) {
            nTrain = 40;
        }
        if (!given.hasMatchedOption("--test")) {
            nTest = 500;
        }
        if (!given.hasMatchedOption("--steps")) {
            steps = 10_000;
        }
        if (!given.hasMatchedOption("--step-constant") && !given.hasMatchedOption("--step")) {
            stepConstant = 0.02;
        }
        if (!given.hasMatchedOption("--init")) {
            init = "gaussian";
        }
    }

    /** The GD step at scale τ: --step, or min(--step-cap, --step-constant/τ²). */
    double step(double tau) {
        return stepConstant == null ? fixedStep : Math.min(stepCap, stepConstant / (tau * tau));
    }

    /** Steps 0, …, T, log-spaced (plus 0 and T). */
    TreeSet<Long> snapshotSteps() {
        TreeSet<Long> s = new TreeSet<>();
        s.add(0L);
        s.add(steps);
        for (int k = 0; k < snapshots; k++) {
            s.add(Math.round(Math.pow(steps, k / (double) (snapshots - 1))));
        }
        return s;
    }

    Map<String, Object> options() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dim", 2);
        m.put("teacherUnits", teacherUnits);
        m.put("taus", taus);
        m.put("units", units);
        m.put("train", nTrain);
        m.put("test", nTest);
        m.put("steps", steps);
        m.put("step", stepConstant == null ? Double.toString(fixedStep) : "min(" + stepCap + ", " + stepConstant
                + "/tau^2)");
        m.put("init", init.equals("reference") ? "reference: tau * (unit-norm w, c ~ Uniform[0, 1]), symmetrised"
                : "gaussian: w ~ N(0, tau^2 I), c = tau |N(0, 1)|, symmetrised");
        m.put("angleDegrees", angle);
        m.put("quick", quick);
        m.put("snapshots", snapshots);
        m.put("seed", seed);
        return m;
    }

    @Override
    public Integer call() throws IOException {
        CheckpointStore store = start();
        RunManifest manifest = new RunManifest("teacher-paths", options(), seed);
        log.printf(Locale.ROOT, "d=2, teachers %s, student m=%d, n=%d, %d GD steps of %s, %s init, taus %s%n",
                teacherUnits, units, nTrain, steps, options().get("step"), init, taus);
        List<PathRun> runs = runTasks(tasks(store), store);
        finishProgress();
        List<XYChart> charts = new ArrayList<>();
        for (PathRun r : runs) {
            double tau = r.tau();
            String regime = tau == taus.get(0) && taus.size() > 1 ? "not lazy" : tau == taus.get(taus.size() - 1)
                    && taus.size() > 1 ? "lazy" : "";
            charts.add(PathsPlot.chart(String.format(Locale.ROOT, "m0=%d, tau=%s %s: train loss %.2g", r.teacherUnits(),
                    plain(tau), regime, r.finalTrainLoss()), UnitPaths.read(pathsCsv(r.teacherUnits(), tau)),
                    problem(r.teacherUnits()).teacher(), 520));
        }
        for (PathRun r : runs) {
            results.wroteFile(out.relativize(pathsCsv(r.teacherUnits(), r.tau())).toString());
        }
        results.plot("paths.png", charts, teacherUnits.size(), taus.size());
        writeReport(runs, manifest);
        return 0;
    }

    private Problem problem(int m0) {
        return Problem.generate(2, m0, nTrain, nTest, seed * 1_000_003L + m0);
    }

    /** Where task (m0, τ) writes its paths. */
    private Path pathsCsv(int m0, double tau) {
        return out.resolve(String.format(Locale.ROOT, "paths-m0=%d-tau=%g.csv", m0, tau));
    }

    /** One task per (teacher size, τ); each writes its paths to {@link #pathsCsv}. */
    @Override
    Map<String, ParallelTasks.Task<PathRun>> tasks(CheckpointStore store) {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        progress("paths", (long) teacherUnits.size() * taus.size() * steps);
        Map<String, ParallelTasks.Task<PathRun>> work = new LinkedHashMap<>();
        for (int m0 : teacherUnits) {
            for (double tau : taus) {
                String task = String.format(Locale.ROOT, "m0=%d,tau=%g", m0, tau);
                work.put(task, () -> recordedOrTrained(store, task, PathRun.class, steps, PathRun::finalTrainLoss,
                        advance -> {
                            UnitPaths paths = new UnitPaths();
                            PathRun r = train(problem(m0), m0, tau, paths, t -> advance.by(1, 0));
                            paths.write(pathsCsv(m0, tau));       // before the task is recorded as done
                            return r;
                        }));
            }
        }
        return work;
    }

    private PathRun train(Problem problem, int m0, double tau, UnitPaths paths, java.util.function.LongConsumer progress) {
        long start = System.nanoTime();
        double step = step(tau);
        MultiLayerNetwork net = Student.build(2, units, 0.0, step);
        Random rng = new Random(seed * 7_919L + m0);
        if (init.equals("reference")) {
            Student.initReference(net, tau, rng);
        } else {
            Student.initSymmetric(net, tau, rng);
        }
        DataSet train = new DataSet(problem.trainFeatures(), Nd4j.createFromArray(problem.trainY()).reshape(-1, 1));
        TreeSet<Long> record = snapshotSteps();
        double[][] first = Student.units(net);
        paths.record(0, first);
        for (long t = 1; t <= steps; t++) {
            net.fit(train);
            if (record.contains(t)) {
                paths.record(t, Student.units(net));
            }
            progress.accept(t);
        }
        double trainLoss = Losses.halfMse(Student.predict(net, problem.trainFeatures()), problem.trainY());
        double testLoss = Losses.halfMse(Student.predict(net, problem.testFeatures()), problem.testY());
        double[][] last = Student.units(net);
        return new PathRun(m0, tau, steps, step, trainLoss, testLoss, paths.relativeMovement(),
                (System.nanoTime() - start) / 1e9, TeacherDirections.massNear(first, problem.teacher(), angle),
                TeacherDirections.massNear(last, problem.teacher(), angle));
    }

    private void writeReport(List<PathRun> runs, RunManifest manifest) throws IOException {
        CsvTable t = new CsvTable("teacher_units", "tau", "steps", "step", "final_train_loss", "final_test_loss",
                "relative_unit_movement", "seconds", "mass_near_teacher_start", "mass_near_teacher_end");
        for (PathRun r : runs) {
            t.add(r.teacherUnits(), r.tau(), r.steps(), r.step(), r.finalTrainLoss(), r.finalTestLoss(),
                    r.relativeMovement(), r.seconds(), r.massNearTeacherStart(), r.massNearTeacherEnd());
        }
        results.csv("paths.csv", t);
        MarkdownReport md = new MarkdownReport().heading(1, "Teacher-student (i): unit paths in d = 2")
                .paragraph("Options: `" + options() + "`.")
                .paragraph("Each curve is one student unit's p_i(t) = |c_i(t)|·w_i(t) from initialisation to the dot at the "
                        + "end (red: c_i > 0, blue: c_i < 0); diamonds are the teacher's units θ_j (‖θ_j‖ = 1, colour = "
                        + "sign s_j); dotted: the unit circle. `relative movement` = mean_i ‖p_i(T) − p_i(0)‖ / "
                        + "mean_i ‖p_i(0)‖. Units whose directions coincide add up (their |c_i|‖w_i‖ sum), so in the "
                        + "not-lazy regime several units may share one teacher direction.");
        for (int m0 : teacherUnits) {
            PathRun small = find(runs, m0, taus.get(0));
            PathRun large = find(runs, m0, taus.get(taus.size() - 1));
            md.paragraph(String.format(Locale.ROOT,
                    "Teacher with %d units: at τ = %s the units moved %.3g× their initial distance from the origin "
                            + "(train loss %.3g, test loss %.3g); at τ = %s they moved %.3g× (%s; train loss %.3g, "
                            + "test loss %.3g).",
                    m0, plain(small.tau()), small.relativeMovement(), small.finalTrainLoss(), small.finalTestLoss(),
                    plain(large.tau()), large.relativeMovement(),
                    large.relativeMovement() < small.relativeMovement()
                            ? String.format(Locale.ROOT, "%.0f× less", small.relativeMovement() / large.relativeMovement())
                            : "not less", large.finalTrainLoss(), large.finalTestLoss()));
            md.paragraph(String.format(Locale.ROOT, "Share of the units' mass Σ|c_i|‖w_i‖ on a teacher direction "
                            + "(within %s° of some θ_j, with c_i of the sign s_j), start → end: τ = %s %.1f%% → %.1f%%; "
                            + "τ = %s %.1f%% → %.1f%%. %s", plain(angle), plain(small.tau()),
                    100 * small.massNearTeacherStart(), 100 * small.massNearTeacherEnd(), plain(large.tau()),
                    100 * large.massNearTeacherStart(), 100 * large.massNearTeacherEnd(),
                    TeacherDirections.sentence(small, large)));
        }
        md.image("unit paths", "plots/paths.png").heading(2, "Runs").table(t);
        results.report(md);
        manifest.put("runs", runs);
        results.manifest(manifest);
        for (PathRun r : runs) {
            log.printf(Locale.ROOT, "m0=%d tau=%-5s train loss %.3g test loss %.3g relative movement %.3g (%.1f s)%n",
                    r.teacherUnits(), plain(r.tau()), r.finalTrainLoss(), r.finalTestLoss(), r.relativeMovement(),
                    r.seconds());
        }
        log.println(results.wrote());
    }

    static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static PathRun find(List<PathRun> runs, int m0, double tau) {
        return runs.stream().filter(r -> r.teacherUnits() == m0 && r.tau() == tau).findFirst().orElseThrow();
    }
}
