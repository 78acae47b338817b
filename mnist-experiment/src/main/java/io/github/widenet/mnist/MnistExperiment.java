package io.github.widenet.mnist;

import io.github.widenet.bench.OpenBlasCoreType;
import io.github.widenet.train.CliErrors;

import io.github.widenet.mnist.data.MnistLocator;
import io.github.widenet.mnist.data.MnistSet;
import io.github.widenet.mnist.data.MnistSource;
import io.github.widenet.report.RunOutputs;
import io.github.widenet.report.CsvTable;
import io.github.widenet.report.RunManifest;
import io.github.widenet.train.CheckpointStore;
import io.github.widenet.train.OptionRules;
import io.github.widenet.train.MemoryCheck;
import io.github.widenet.train.RunOptions;
import io.github.widenet.train.RunOptionsFile;
import io.github.widenet.train.RunStart;
import io.github.widenet.train.StopSignal;
import io.github.widenet.train.TaskProtocol;
import io.github.widenet.train.TaskRunner;
import com.fasterxml.jackson.databind.JsonNode;
import org.nd4j.linalg.activations.Activation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.LongFunction;
import java.util.stream.Collectors;

/**
 * The MNIST mean-field experiment: trains 784 → N → 10 width-scaled networks (mean-field 1/N with steps η·N, and NTK
 * 1/√N for contrast) on MNIST for several widths N, records the hidden units' parameters during training, and measures
 * how the distributions of c_i, ‖w_i‖ and b_i converge as N grows (1-Wasserstein distance to the largest width) and how
 * far they move from initialisation. Writes plots, CSVs, manifest.json and report.md.
 */
@Command(name = "mnist", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Two-layer nets on MNIST: hidden-unit parameter histograms as the width N grows,",
                "mean-field (1/N, steps eta*N) vs NTK (1/sqrt N, steps eta)."},
        footer = {"", "Full figure (hours on 2 cores): --widths 1000,10000,100000,250000",
                "Data: --data-dir, else $" + MnistLocator.ENV_VAR + ", else DL4J's cache, else the embedded real subset "
                        + "(10k train / 2k test). A --data-dir or $" + MnistLocator.ENV_VAR + " without the four files is "
                        + "an error; downloads only with --download; --full-data refuses the embedded subset.",
                "Exit codes: 0 done, 1 data/file error, 2 invalid option, 3 stopped as asked, 4 training diverged."})
public final class MnistExperiment implements Callable<Integer> {

    @Option(names = "--widths", split = ",", defaultValue = "1000,10000",
            description = "hidden widths N (default: ${DEFAULT-VALUE})")
    List<Integer> widths;

    @Option(names = "--scalings", split = ",", defaultValue = "mean-field,ntk",
            description = "mean-field and/or ntk (default: ${DEFAULT-VALUE})")
    List<String> scalings;

    @Option(names = "--activation", defaultValue = "relu",
            description = "hidden nonlinearity: relu, sigmoid, tanh, softplus (default: ${DEFAULT-VALUE})")
    String activation;

    @Option(names = "--steps", defaultValue = "1500", description = "SGD steps per width (default: ${DEFAULT-VALUE})")
    long steps;

    @Option(names = "--batch-size", defaultValue = "100", description = "minibatch size (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--eta", defaultValue = "0.5",
            description = "base step size; mean-field steps are eta*N, NTK steps eta (default: ${DEFAULT-VALUE})")
    double eta;

    @Option(names = "--snapshots", defaultValue = "4",
            description = "recorded snapshots of the units, evenly spaced from init to end (default: ${DEFAULT-VALUE})")
    int snapshots;

    @Option(names = "--bins", defaultValue = "60", description = "histogram bins (default: ${DEFAULT-VALUE})")
    int bins;

    @Option(names = "--seed", defaultValue = "1", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--seeds", split = ",", paramLabel = "SEED", description = "several seeds (instead of --seed): each "
            + "a full run in <out>/seed-<s>/, then report.md across the seeds: accuracies and W1 to the largest width "
            + "with 95%% intervals, the sampling-floor test on the mean over the seeds")
    List<Long> seeds;

    @Option(names = "--train-subset", defaultValue = "0", description = "use only the first n training images (0 = all)")
    int trainSubset;

    @Option(names = "--test-subset", defaultValue = "0", description = "use only the first n test images (0 = all)")
    int testSubset;

    @Option(names = "--data-dir", description = "directory with the four MNIST IDX files (gzipped or not)")
    Path dataDir;

    @Option(names = "--full-data", description = "refuse the embedded 10k subset: use the full data set from --data-dir, "
            + "$" + MnistLocator.ENV_VAR + " or DL4J's cache (or --download it); an error when none is found")
    boolean fullData;

    @Option(names = "--download", description = "download MNIST into DL4J's cache when no data is found (needs "
            + "internet); never done otherwise")
    boolean download;

    @Mixin
    RunOptions run = new RunOptions();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The run directory: --out, or the one chosen when the run starts. */
    private Path out;

    @Option(names = "--checkpoint-minutes", defaultValue = "5",
            description = "minutes between checkpoints (default: ${DEFAULT-VALUE})")
    double checkpointMinutes;

    @Option(names = "--allow-non-finite", description = "do not stop at NaN/Inf inputs or parameters (DL4J's default);"
            + " by default every step checks its batch and every layer's parameters (one pass over them) and names the "
            + "layer and step. A diverging loss or parameter norm still stops the run (exit code 4).")
    boolean allowNonFinite;

    @Option(names = "--stop-after-steps", hidden = true, defaultValue = "-1",
            description = "testing: stop (checkpointed) after this many steps in this process")
    long stopAfterSteps;

    private PrintStream log = System.out;
    private TaskRunner taskRunner;

    public static void main(String[] args) {
        System.exit(commandLine(new MnistExperiment()).execute(args));
    }

    /** The command line of {@code e} with this tool's error reporting (one line, exit codes in {@link CliErrors}). */
    public static CommandLine commandLine(MnistExperiment e) {
        return CliErrors.configure(new CommandLine(e), "mnist");
    }

    /** Checks every option value before anything is read or created; a violation names the option and the value. */
    void validate() {
        try {
            for (int m : widths) {
                OptionRules.inRange("--widths", m, 1, Integer.MAX_VALUE);
            }
            OptionRules.distinct("--widths", widths);
            OptionRules.distinct("--scalings", OptionRules.parseEach("--scalings", scalings, Scaling::parse));
            OptionRules.inRange("--steps", steps, 1, Long.MAX_VALUE);
            OptionRules.inRange("--batch-size", batchSize, 1, Integer.MAX_VALUE);
            OptionRules.finitePositive("--eta", eta);
            if (snapshots < 2 || snapshots > steps + 1) {
                throw new IllegalArgumentException("--snapshots: must be between 2 and --steps + 1 = " + (steps + 1)
                        + " (one snapshot per distinct step), got " + snapshots);
            }
            OptionRules.inRange("--bins", bins, 2, 1_000_000);
            OptionRules.inRange("--train-subset", trainSubset, 0, MnistSet.OFFICIAL_TRAIN);
            OptionRules.inRange("--test-subset", testSubset, 0, MnistSet.OFFICIAL_TEST);
            OptionRules.finiteIn("--checkpoint-minutes", checkpointMinutes, 0, Double.POSITIVE_INFINITY);
            OptionRules.existingDirectory("--data-dir", dataDir);
            if (seeds != null) {
                OptionRules.notBoth("--seed", explicitSeed(), "--seeds", true,
                        "--seed is the single-seed form of --seeds");
                if (seeds.size() < 2) {
                    throw new IllegalArgumentException("--seeds: give at least two seeds (one seed: --seed), got "
                            + seeds);
                }
                OptionRules.distinct("--seeds", seeds);
            }
            run.validate();
            MemoryCheck.parameters("--widths", widths.stream().mapToLong(m -> (long) m * UNIT_PARAMETERS).max()
                    .orElse(0), "the widest network's parameters and gradients", 2 * Float.BYTES);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
    }

    /** Whether --seed was given on the command line (not its default). */
    private boolean explicitSeed() {
        return spec != null && spec.commandLine() != null && spec.commandLine().getParseResult() != null
                && spec.commandLine().getParseResult().hasMatchedOption("--seed");
    }

    /** The seeds to run: --seeds, else the single --seed. */
    List<Long> seedList() {
        return seeds != null ? List.copyOf(seeds) : List.of(seed);
    }

    /** A subset larger than the data found is an error, not silently clamped. */
    private void checkSubsets(MnistSource source) {
        if (trainSubset > source.train().size()) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--train-subset: " + trainSubset
                    + " exceeds the " + source.train().size() + " training images of " + source.description());
        }
        if (testSubset > source.test().size()) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--test-subset: " + testSubset
                    + " exceeds the " + source.test().size() + " test images of " + source.description());
        }
        int used = trainSubset > 0 ? trainSubset : source.train().size();
        if (batchSize > used) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--batch-size: " + batchSize
                    + " exceeds the " + used + " training images used (see --train-subset)");
        }
    }

    /** Runs with the given stream for progress and results (tests pass their own). */
    public MnistExperiment withLog(PrintStream log) {
        this.log = log;
        return this;
    }

    /**
     * Runs the unfinished tasks (scaling × width) with {@code runner} (e.g. as Spark tasks, each calling
     * {@link #runTask}) instead of one after another in this process; the outputs are assembled as in a sequential run.
     */
    public MnistExperiment withTaskRunner(TaskRunner runner) {
        this.taskRunner = runner;
        return this;
    }

    RunConfig config() {
        List<Scaling> s = scalings.stream().map(Scaling::parse).distinct().collect(Collectors.toList());
        Activation act = switch (activation.toLowerCase(Locale.ROOT)) {
            case "relu" -> Activation.RELU;
            case "sigmoid" -> Activation.SIGMOID;
            case "tanh" -> Activation.TANH;
            case "softplus" -> Activation.SOFTPLUS;
            default -> throw new CommandLine.ParameterException(new CommandLine(this),
                    "--activation: unknown nonlinearity '" + activation + "' (use relu, sigmoid, tanh or softplus)");
        };
        return new RunConfig(widths, s, act, steps, batchSize, eta, snapshots, seed, bins, trainSubset, testSubset,
                Duration.ofMillis((long) (checkpointMinutes * 60_000)));
    }

    /** Parameters per hidden unit of the 784 → N → 10 network: input weights, bias, output weights. */
    static final long UNIT_PARAMETERS = 784 + 1 + 10;

    /** The options that determine the numbers, by option name (saved at start, compared on --resume). */
    static Map<String, Object> resultOptions(RunConfig c, List<Long> seeds) {
        Map<String, Object> m = resultOptions(c);
        if (seeds.size() > 1) {
            m.remove("--seed");
            m.put("--seeds", seeds);
        }
        return m;
    }

    static Map<String, Object> resultOptions(RunConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("--widths", c.widths());
        m.put("--scalings", c.scalings().stream().map(Scaling::label).toList());
        m.put("--activation", c.activation().name().toLowerCase(Locale.ROOT));
        m.put("--steps", c.steps());
        m.put("--batch-size", c.batchSize());
        m.put("--eta", c.eta());
        m.put("--snapshots", c.snapshots());
        m.put("--bins", c.bins());
        m.put("--seed", c.seed());
        m.put("--train-subset", c.trainSubset());
        m.put("--test-subset", c.testSubset());
        return m;
    }

    @Override
    public Integer call() throws IOException {
        validate();
        RunConfig config = config();
        RunStart start = RunStart.open("mnist", run, resultOptions(config, seedList()));
        out = start.dir();
        MnistSource source = new MnistLocator().locate(Optional.ofNullable(dataDir), fullData, download);
        checkSubsets(source);
        start.data(source.identity());
        MnistSet train = trainSubset > 0 ? source.train().first(trainSubset) : source.train();
        MnistSet test = testSubset > 0 ? source.test().first(testSubset) : source.test();
        OpenBlasCoreType.warning().ifPresent(w -> log.println("WARNING: " + w));
        log.println("Data: " + source.description() + (trainSubset > 0 || testSubset > 0
                ? String.format(Locale.ROOT, "; using %d train / %d test", train.size(), test.size()) : ""));
        log.printf(Locale.ROOT, "Widths %s, scalings %s, %s, %d steps of batch %d, eta %.3g (mean-field steps eta*N)%n",
                config.widths(), config.scalings().stream().map(Scaling::label).toList(),
                activation, steps, batchSize, eta);
        if (seeds == null) {
            RunManifest manifest = new RunManifest("mnist-experiment", config.asMap(), seed).data(source.summary())
                    .measureSgemm();
            SeedOutcome o = runSeed(config, out, source, train, test, manifest);
            return o == null ? 3 : 0;
        }
        if (taskRunner != null) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--seeds: a sweep runs one seed (--seed) "
                    + "per run directory; run the seeds as separate sweeps");
        }
        long started = System.nanoTime();
        Map<Long, SeedOutcome> outcomes = new LinkedHashMap<>();
        for (long s : seeds) {
            RunConfig cs = config.withSeed(s);
            Path dir = Files.createDirectories(out.resolve("seed-" + s));
            log.printf(Locale.ROOT, "Seed %d of %s (outputs in %s)%n", s, seeds, dir);
            RunManifest manifest = new RunManifest("mnist-experiment", cs.asMap(), s).data(source.summary())
                    .measureSgemm();
            SeedOutcome o = runSeed(cs, dir, source, train, test, manifest);
            if (o == null) {
                return 3;
            }
            outcomes.put(s, o);
        }
        RunManifest manifest = new RunManifest("mnist-experiment", config.asMap(), seeds.get(0))
                .data(source.summary()).measureSgemm();
        manifest.put("seeds", seeds);
        RunOutputs results = new RunOutputs(out);
        new MnistSeedsReport(config, source, outcomes).write(results, log, manifest);
        manifest.put("wallTimeSecondsAllSeeds", (System.nanoTime() - started) / 1e9);
        results.manifest(manifest);
        log.println(results.wrote() + "; each seed's own outputs in seed-<s>/");
        return 0;
    }

    /** One seed's trained widths and analyses. */
    record SeedOutcome(List<WidthResult> results, Map<Scaling, DistributionAnalysis> analyses) {
    }

    /**
     * Trains (or resumes) every task of one seed with checkpoints in {@code dir}/checkpoints and writes its outputs in
     * {@code dir}; null when it stopped early (checkpointed; the message is printed).
     */
    private SeedOutcome runSeed(RunConfig config, Path dir, MnistSource source, MnistSet train, MnistSet test,
                                RunManifest manifest) throws IOException {
        CheckpointStore store = new CheckpointStore(dir.resolve("checkpoints"), config.checkpointInterval());
        runTasksElsewhere(config, store);
        List<WidthResult> results = new ArrayList<>();
        java.util.concurrent.atomic.AtomicLong budget =
                new java.util.concurrent.atomic.AtomicLong(stopAfterSteps < 0 ? Long.MAX_VALUE : stopAfterSteps);
        for (Scaling scaling : config.scalings()) {
            for (int width : config.widths()) {
                WidthRun task = new WidthRun(config, scaling, width, dir.resolve("snapshots"), store, log)
                        .checkNonFinite(!allowNonFinite);
                Optional<WidthResult> done = store.result(task.task(), WidthResult.class);
                if (done.isPresent()) {
                    done.get().checkFor(scaling.label(), width, config.steps(), store.resultFile(task.task()));
                }
                if (done.isEmpty()) {
                    done = task.run(train, test, budget);
                    if (done.isEmpty()) {
                        if (StopSignal.requested()) {
                            throw StopSignal.interrupted("mnist", out, "in task " + task.task());
                        }
                        log.println("Stopped after the requested number of steps; continue with --resume --out " + out);
                        return null;
                    }
                } else if (taskRunner == null) {             // with a runner, said before it ran
                    log.printf(Locale.ROOT, "%s: already finished in an earlier run%n", task.task());
                }
                WidthResult r = done.get();
                results.add(r);
                log.printf(Locale.ROOT, "%-10s N=%-7d test accuracy %.4f  train accuracy %.4f  loss %.4f  %.1f ms/step%n",
                        r.scaling(), r.width(), r.testAccuracy(), r.trainAccuracy(), r.finalTrainLoss(),
                        1000 * r.secondsPerStep());
            }
        }
        return new SeedOutcome(results, writeOutputs(config, source, results, manifest, dir));
    }

    /** With a {@link TaskRunner}: runs the unfinished tasks through it (they are then read as finished tasks). */
    private void runTasksElsewhere(RunConfig config, CheckpointStore store) throws IOException {
        TaskProtocol.runPending(taskRunner, new ArrayList<>(tasks(config).keySet()), store::isDone, this::workerArgs,
                log);
    }

    /** The run's tasks by name ({@link WidthRun#taskName}), in the order of the sequential run. */
    private static Map<String, Map.Entry<Scaling, Integer>> tasks(RunConfig config) {
        Map<String, Map.Entry<Scaling, Integer>> m = new LinkedHashMap<>();
        for (Scaling scaling : config.scalings()) {
            for (int width : config.widths()) {
                m.put(WidthRun.taskName(scaling, width), Map.entry(scaling, width));
            }
        }
        return m;
    }

    /**
     * The options a worker needs to run tasks of this run ({@link #runTask}): those that determine the numbers, the
     * data options and the run directory, with absolute paths (a worker's working directory is another).
     */
    List<String> workerArgs() {
        Map<String, Object> options = resultOptions(config());
        options.put("--data-dir", dataDir);
        options.put("--full-data", fullData);
        options.put("--download", download);
        options.put("--allow-non-finite", allowNonFinite);
        options.put("--checkpoint-minutes", checkpointMinutes);
        options.put("--out", out);
        return TaskRunner.asArgs(options);
    }

    /**
     * Runs one task ({@code scaling-m<width>}, e.g. "mean-field-m1000") of the started run in {@code args}' --out, as a
     * {@link TaskRunner}'s worker does: the same option and data checks and the same training code as a sequential run;
     * resumes from the task's checkpoint; a task already finished returns its recorded result without training.
     *
     * @param args the options of {@link #workerArgs()}: the run's options with an absolute --out
     * @throws IllegalArgumentException for options that differ from the run's (run-options.json) or an unknown task
     * @throws io.github.widenet.train.TrainingStoppedException when training diverges
     */
    public static WidthResult runTask(List<String> args, String task, PrintStream log) throws IOException {
        MnistExperiment e = new MnistExperiment().withLog(log);
        new CommandLine(e).parseArgs(args.toArray(String[]::new));
        e.validate();
        e.out = e.run.out();
        RunConfig config = e.config();
        JsonNode saved = TaskProtocol.startedRun(e.out, resultOptions(config));
        Map.Entry<Scaling, Integer> which = TaskProtocol.find(tasks(config), task);
        MnistSource source = new MnistLocator().locate(Optional.ofNullable(e.dataDir), e.fullData, e.download);
        e.checkSubsets(source);
        RunOptionsFile.checkData(e.out, saved, source.identity());
        Scaling scaling = which.getKey();
        int width = which.getValue();
        CheckpointStore store = new CheckpointStore(e.out.resolve("checkpoints"), config.checkpointInterval());
        Optional<WidthResult> done = store.result(task, WidthResult.class);
        if (done.isPresent()) {
            return done.get().checkFor(scaling.label(), width, config.steps(), store.resultFile(task));
        }
        MnistSet train = e.trainSubset > 0 ? source.train().first(e.trainSubset) : source.train();
        MnistSet test = e.testSubset > 0 ? source.test().first(e.testSubset) : source.test();
        return new WidthRun(config, scaling, width, e.out.resolve("snapshots"), store, log)
                .checkNonFinite(!e.allowNonFinite)
                .run(train, test, new java.util.concurrent.atomic.AtomicLong(e.stopAfterSteps < 0
                        ? Long.MAX_VALUE : e.stopAfterSteps))
                .orElseThrow(() -> new IllegalStateException(task + ": stopped (checkpointed) after "
                        + "--stop-after-steps " + e.stopAfterSteps));
    }

    /** Independent sample pairs drawn for each sampling floor (its mean, 95 % range and 97.5 % bound). */
    static final int FLOOR_DRAWS = 40;

    private Map<Scaling, DistributionAnalysis> writeOutputs(RunConfig config, MnistSource source,
                                                            List<WidthResult> results, RunManifest manifest, Path out)
            throws IOException {
        RunOutputs outputs = new RunOutputs(out);
        CsvTable resultTable = new CsvTable("scaling", "width", "steps", "test_accuracy", "train_accuracy",
                "final_train_loss", "train_seconds", "seconds_per_step", "peak_resident_mib");
        for (WidthResult r : results) {
            resultTable.add(r.scaling(), r.width(), r.steps(), r.testAccuracy(), r.trainAccuracy(), r.finalTrainLoss(),
                    r.trainSeconds(), r.secondsPerStep(), r.peakResidentBytes() >> 20);
        }
        outputs.csv("results.csv", resultTable);
        CsvTable hist = new CsvTable("scaling", "quantity", "step", "width", "bin", "lo", "hi", "count");
        CsvTable w1 = new CsvTable("scaling", "quantity", "step", "width", "w1_hist_to_largest", "w1_exact_to_largest",
                "w1_hist_from_init", "w1_exact_from_init", "mean_unit_movement");
        CsvTable floors = new CsvTable("scaling", "quantity", "width", "sampling_floor", "floor_q025", "floor_q975",
                "floor_bound975", "draws");
        Map<String, io.github.widenet.stats.SamplingFloor> floorCache = new java.util.HashMap<>();
        Map<Scaling, DistributionAnalysis> analyses = new LinkedHashMap<>();
        Map<Scaling, List<String>> plotFiles = new LinkedHashMap<>();
        for (Scaling scaling : config.scalings()) {
            Map<Integer, LongFunction<UnitSnapshot>> loaders = new LinkedHashMap<>();
            for (int m : config.widths()) {
                WidthRun widthRun = new WidthRun(config, scaling, m, out.resolve("snapshots"), null, log);
                loaders.put(m, step -> {
                    try {
                        return UnitSnapshot.read(widthRun.snapshotFile(step));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
            DistributionAnalysis a = new DistributionAnalysis(scaling, config, loaders).compute()
                    .computeFloors(784, FLOOR_DRAWS, config.seed(), floorCache);
            a.addHistogramRows(hist);
            a.addW1Rows(w1);
            a.addFloorRows(floors);
            analyses.put(scaling, a);
            plotFiles.put(scaling, a.plot(outputs));
        }
        outputs.csv("histograms.csv", hist);
        outputs.csv("w1.csv", w1);
        outputs.csv("sampling_floor.csv", floors);
        new MnistReport(config, source, analyses, plotFiles, resultTable).write(outputs, log);
        manifest.put("results", results);
        manifest.put("peakResidentMiB", results.stream().mapToLong(WidthResult::peakResidentBytes).max().orElse(0) >> 20);
        outputs.manifest(manifest);
        log.println();
        log.println(outputs.wrote());
        return analyses;
    }





}
