package io.github.widenet.cifar;

import io.github.widenet.train.TaskMemory;
import io.github.widenet.bench.OpenBlasCoreType;
import io.github.widenet.train.CliErrors;

import io.github.widenet.cifar.data.CifarBatches;
import io.github.widenet.cifar.model.Architecture;
import io.github.widenet.cifar.model.Vgg;
import io.github.widenet.layers.BatchNormMode;
import io.github.widenet.cifar.model.VggLayout;
import io.github.widenet.cifar.data.CifarLocator;
import io.github.widenet.cifar.data.CifarSet;
import io.github.widenet.cifar.data.CifarSource;
import io.github.widenet.nd4j.OneDnn;
import io.github.widenet.report.RunOutputs;
import io.github.widenet.report.RunManifest;
import io.github.widenet.train.CheckpointStore;
import io.github.widenet.train.TaskProtocol;
import io.github.widenet.train.TaskRunner;
import io.github.widenet.train.OptionRules;
import io.github.widenet.train.PresetOptions;
import io.github.widenet.train.RunOptions;
import io.github.widenet.train.RunOptionsFile;
import io.github.widenet.train.RunStart;
import io.github.widenet.train.StopSignal;
import com.fasterxml.jackson.databind.JsonNode;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

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
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lazy vs non-lazy training of a VGG-11 on CIFAR-10 (Chizat–Oyallon–Bach 2019): the same initial network trained as
 * the plain network h(w), as the centred model α·(h(w) − h(w0)) on CE/α² for several α (α = 1 is standard training,
 * large α is lazy) and as its linearization J(w0)(w − w0), for one or more seeds. Reports accuracies with intervals,
 * paired comparisons on the same test images, losses, relative parameter change, ReLU sign stability and peak memory
 * per mode; writes results.csv, curves.csv, predictions.csv, comparisons.csv, matched.csv, PNG plots, manifest.json
 * and report.md.
 */
@Command(name = "cifar", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"VGG-11 on CIFAR-10: plain vs standard (alpha=1) vs lazy (large alpha) vs linearized training."},
        footer = {"", "Presets (--preset NAME; options given explicitly override the preset's):",
                "  medium: " + Preset.MEDIUM_ARGS + " (no --augment); meant to bring every mode "
                + "to high training accuracy within about 90 min per seed on 2 cores (a conservative choice, not yet "
                + "timed).", "  paper: " + Preset.PAPER_ARGS, "  paper-sweep: " + Preset.PAPER_SWEEP_ARGS,
                "  (paper and paper-sweep: the official recipe; lr tuned (results/cifar/tuning-paper), epochs "
                + "provisional)", "  interpolation: " + Preset.INTERPOLATION_ARGS,
                "", "Full scale (days on a 2-core CPU): --width-divisor 1 --train-subset 0 --test-subset 0 --epochs 70 "
                + "--augment", "Data: --data-dir, else $" + CifarLocator.ENV_CIFAR + ", else $" + CifarLocator.ENV_DATA
                + ", else DL4J's cache. A --data-dir or variable without the data is an error; downloads only with "
                + "--download.", "Exit codes: 0 done, 1 data/file error, 2 invalid option, 3 stopped as asked, "
                + "4 training diverged."})
public final class CifarExperiment implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--preset", paramLabel = "NAME", description = "a named set of options; explicitly given options "
            + "override it (see below)")
    String preset;

    @Option(names = "--width-divisor", defaultValue = "4", description = "divide every VGG width by this (default: ${DEFAULT-VALUE}; 1 = full VGG-11)")
    int widthDivisor;

    @Option(names = "--ntk", description = "NTK parameterization (NtkConvolutionLayer/NtkDenseLayer)")
    boolean ntk;

    @Option(names = "--model", defaultValue = "vgg11", paramLabel = "vgg11|resnet18", description = "the network: "
            + "VGG-11 (no BatchNorm) or ResNet-18 (CIFAR variant, BatchNorm after every convolution), widths divided "
            + "by --width-divisor (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--batch-norm-mode", defaultValue = "training", paramLabel = "training|inference", description =
            "ResNet: what BatchNormalization computes in the wrapped modes, for h(w) and h(w0) alike: training "
            + "(minibatch statistics in every pass, also at test; the exact linearization through the batch mean and "
            + "variance) or inference (running statistics of w0: an affine map); plain always trains with DL4J's own "
            + "BatchNorm (default: ${DEFAULT-VALUE})")
    String batchNormMode;

    @Option(names = "--layout", defaultValue = "nhwc", paramLabel = "nhwc|nchw", description = "activation layout of "
            + "the VGG networks (NHWC measured faster at both widths); changes float rounding only, so a resumed run "
            + "keeps the layout it started with (default: ${DEFAULT-VALUE})")
    String layout;

    @Option(names = "--alphas", split = ",", defaultValue = "1,10,100,1000",
            description = "scales alpha of the centred models; 1 = standard training (default: ${DEFAULT-VALUE})")
    List<Double> alphas;

    @Option(names = "--no-linearized", description = "skip the linearized model")
    boolean noLinearized;

    @Option(names = "--modes", split = ",", paramLabel = "MODE", description = "the modes to train, in this order, "
            + "instead of --alphas: plain (h(w), not centred), standard (= alpha 1), a scale alpha such as 100, "
            + "linearized, ntk-limit (not trained: the NTK-regression interpolant of w0 on the unaugmented training "
            + "images, the lazy model's t -> infinity limit with the squared loss); e.g. plain,1,100,linearized")
    List<String> modes;

    @Option(names = "--epochs", defaultValue = "6", description = "epochs per mode (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "128", description = "(default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--lr", defaultValue = "0.005", description = "initial step eta0 (default: ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--lr-decay", defaultValue = "0.1", description = "beta in eta0/(1 + beta*epoch) (default: ${DEFAULT-VALUE})")
    double lrDecay;

    @Option(names = "--momentum", defaultValue = "0.9", description = "momentum mu (default: ${DEFAULT-VALUE})")
    double momentum;

    @Option(names = "--momentum-type", defaultValue = "nesterov", paramLabel = "heavy-ball|nesterov", description =
            "heavy-ball: v <- mu v + g, w <- w - eta_t v (the reference code's); nesterov: DL4J's Nesterovs "
            + "(default: ${DEFAULT-VALUE})")
    String momentumType;

    @Option(names = "--loss", defaultValue = "ce", paramLabel = "ce|mse", description = "ce: softmax cross-entropy; "
            + "mse: squared loss on one-hot targets, (1/K) sum_k (f_k - y_k)^2 with f the model's output "
            + "(alpha (h(w) - h(w0)) for the centred models, whose loss is divided by alpha^2 as with ce) "
            + "(default: ${DEFAULT-VALUE})")
    String loss;

    @Option(names = "--init", defaultValue = "he", paramLabel = "he|xavier", description = "convolution weights: he "
            + "(normal, variance 2/fan_in) or xavier (normal, gain 1, variance 2/(fan_in + fan_out), as the reference "
            + "code); biases zero, classifier Xavier in both (default: ${DEFAULT-VALUE})")
    String init;

    @Option(names = "--augment", description = "random crops (4-pixel padding) and horizontal flips")
    boolean augment;

    @Option(names = "--train-subset", defaultValue = "10000", description = "class-balanced training subset, 0 = all (default: ${DEFAULT-VALUE})")
    int trainSubset;

    @Option(names = "--test-subset", defaultValue = "2000", description = "class-balanced test subset, 0 = all (default: ${DEFAULT-VALUE})")
    int testSubset;

    @Option(names = "--train-eval-subset", defaultValue = "2000", description = "training examples used to measure train accuracy (default: ${DEFAULT-VALUE})")
    int trainEvalSubset;

    @Option(names = "--seed", defaultValue = "1", description = "the seed of a single-seed run (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--seeds", split = ",", paramLabel = "SEED", description = "run every mode once per seed (each "
            + "seed its own w0 and batch order), e.g. 1,2,3; the report gives mean ± sd and per-seed comparisons")
    List<Long> seeds;

    @Option(names = "--match-train-accuracy", paramLabel = "LEVEL", description = "compare test accuracies at the first "
            + "epoch each mode's training accuracy reaches LEVEL (0 < LEVEL <= 1; default: the highest level every "
            + "mode reaches)")
    Double matchTrainAccuracy;

    @Option(names = "--data-dir", description = "CIFAR-10 directory (binary batches, tar.gz, or train/ test/ image folders)")
    Path dataDir;

    @Option(names = "--download", description = "download the official binary release if no data is found")
    boolean download;

    @Mixin
    RunOptions run = new RunOptions();

    /** The run directory: --out, or the one chosen when the run starts. */
    private Path out;

    @Option(names = "--allow-non-finite", description = "do not stop at NaN/Inf inputs or parameters (DL4J's default);"
            + " by default every step checks its batch and every layer's parameters (one pass over them) and names the "
            + "layer and step. A diverging loss or parameter norm still stops the run (exit code 4).")
    boolean allowNonFinite;

    @Option(names = "--stop-after-epochs", hidden = true, defaultValue = "-1",
            description = "testing: stop (checkpointed) after this many epochs in this process")
    int stopAfterEpochs;

    private TaskRunner taskRunner;
    private PrintStream log = System.out;

    public static void main(String[] args) {
        OneDnn.configure();
        System.exit(commandLine(new CifarExperiment()).execute(args));
    }

    /** The command line of {@code e} with this tool's error reporting (one line, exit codes in {@link CliErrors}). */
    public static CommandLine commandLine(CifarExperiment e) {
        return CliErrors.configure(new CommandLine(e), "cifar");
    }

    /** VGG-11's narrowest layer: the width divisor must divide it (and so every layer width). */
    static final int NARROWEST = 64;
    static final int OFFICIAL_TRAIN = 50_000;
    static final int OFFICIAL_TEST = 10_000;

    /** The options given on the command line (empty when not parsed by picocli). */
    private java.util.Set<String> explicit() {
        java.util.Set<String> given = new java.util.HashSet<>();
        if (spec != null && spec.commandLine() != null && spec.commandLine().getParseResult() != null) {
            spec.commandLine().getParseResult().matchedOptions().forEach(o -> given.add(o.longestName()));
        }
        return given;
    }

    /** The options the preset set (not given explicitly), in the preset's order; empty without --preset. */
    private Map<String, String> presetApplied = new LinkedHashMap<>();

    /** Sets the preset's options that were not given explicitly. */
    void applyPreset() {
        if (preset == null) {
            return;
        }
        Preset p;
        try {
            p = Preset.named(preset);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
        java.util.Set<String> given = explicit();
        boolean modesGiven = given.contains("--modes") || given.contains("--alphas") || given.contains("--no-linearized");
        presetApplied.putAll(PresetOptions.apply(spec, p.options(), name -> !(given.contains(name)
                || (name.equals("--modes") && modesGiven) || (name.equals("--seeds") && given.contains("--seed")))));
    }

    /** {@code value} as a constant of {@code type} (any case); otherwise an error naming the option and the choices. */
    static <E extends Enum<E>> E parseEnum(String option, String value, Class<E> type) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value)) {
                return e;
            }
        }
        throw new IllegalArgumentException(option + ": must be one of " + java.util.Arrays.stream(
                type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList() + ", got '" + value + "'");
    }

    /** The seeds to run: --seeds, else the single --seed. */
    List<Long> seedList() {
        return seeds != null ? List.copyOf(seeds) : List.of(seed);
    }

    /** Checks every option value before anything is read or created; a violation names the option and the value. */
    void validate() {
        try {
            java.util.Set<String> given = explicit();
            if (modes != null && given.contains("--modes")) {
                OptionRules.notBoth("--modes", true, "--alphas", given.contains("--alphas"),
                        "--modes lists every mode, alphas included");
                OptionRules.notBoth("--modes", true, "--no-linearized", given.contains("--no-linearized"),
                        "--modes lists every mode; leave out linearized instead");
            }
            if (modes != null) {
                if (modes.isEmpty()) {
                    throw new IllegalArgumentException("--modes: give at least one mode");
                }
                OptionRules.distinct("--modes", OptionRules.parseEach("--modes", modes, Mode::parse).stream()
                        .map(Mode::label).toList());
            }
            if (seeds != null) {
                OptionRules.notBoth("--seed", given.contains("--seed"), "--seeds", true,
                        "--seed is the single-seed form of --seeds");
                if (seeds.isEmpty()) {
                    throw new IllegalArgumentException("--seeds: give at least one seed");
                }
                OptionRules.distinct("--seeds", seeds);
            }
            if (matchTrainAccuracy != null && !(matchTrainAccuracy > 0 && matchTrainAccuracy <= 1)) {
                throw new IllegalArgumentException("--match-train-accuracy: must be in (0, 1], got "
                        + matchTrainAccuracy);
            }
            if (widthDivisor < 1 || widthDivisor > NARROWEST || NARROWEST % widthDivisor != 0) {
                throw new IllegalArgumentException("--width-divisor: must divide " + NARROWEST
                        + " (1, 2, 4, 8, 16, 32 or 64) so every VGG width is divided exactly, got " + widthDivisor);
            }
            VggLayout.parse("--layout", layout);
            Architecture arch = Architecture.parse("--model", model);
            parseEnum("--batch-norm-mode", batchNormMode, BatchNormMode.class);
            if (ntk && arch != Architecture.VGG11) {
                throw new IllegalArgumentException("--ntk: the NTK parameterization is built for --model vgg11 only");
            }
            if (arch != Architecture.VGG11 && modeList().stream().anyMatch(Mode::isNtkLimit)) {
                throw new IllegalArgumentException("--modes: ntk-limit is built for --model vgg11 only, not "
                        + arch.option());
            }
            Momentum.parse("--momentum-type", momentumType);
            parseEnum("--loss", loss, Vgg.Loss.class);
            if (parseEnum("--init", init, Vgg.Init.class) != Vgg.Init.HE && ntk) {
                throw new IllegalArgumentException("--init: " + init + " is for the standard parameterization; --ntk "
                        + "networks have their own initialisation");
            }
            for (double a : alphas) {
                try {
                    Mode.lazy(a);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--alphas: " + e.getMessage(), e);
                }
            }
            OptionRules.distinct("--alphas", alphas);
            OptionRules.inRange("--epochs", epochs, 1, Integer.MAX_VALUE);
            OptionRules.inRange("--batch-size", batchSize, 1, Integer.MAX_VALUE);
            OptionRules.finitePositive("--lr", lr);
            OptionRules.finiteIn("--lr-decay", lrDecay, 0, Double.POSITIVE_INFINITY);
            OptionRules.finiteIn("--momentum", momentum, 0, 1);
            OptionRules.inRange("--train-subset", trainSubset, 0, OFFICIAL_TRAIN);
            OptionRules.inRange("--test-subset", testSubset, 0, OFFICIAL_TEST);
            OptionRules.inRange("--train-eval-subset", trainEvalSubset, 1, OFFICIAL_TRAIN);
            if (trainSubset > 0 && trainEvalSubset > trainSubset) {
                throw new IllegalArgumentException("--train-eval-subset: must not exceed --train-subset " + trainSubset
                        + " (it measures accuracy on training images), got " + trainEvalSubset);
            }
            OptionRules.existingDirectory("--data-dir", dataDir);
            run.validate();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
    }

    /** Subsets larger than the data found are errors, not silently clamped. */
    private void checkSubsets(CifarSource source) {
        String err = null;
        if (trainSubset > source.train().size()) {
            err = "--train-subset: " + trainSubset + " exceeds the " + source.train().size() + " training images of ";
        } else if (testSubset > source.test().size()) {
            err = "--test-subset: " + testSubset + " exceeds the " + source.test().size() + " test images of ";
        } else if (trainEvalSubset > source.train().size()) {
            err = "--train-eval-subset: " + trainEvalSubset + " exceeds the " + source.train().size()
                    + " training images of ";
        }
        if (err != null) {
            throw new CommandLine.ParameterException(new CommandLine(this), err + source.description());
        }
        int used = trainSubset > 0 ? trainSubset : source.train().size();
        if (batchSize > used) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--batch-size: " + batchSize
                    + " exceeds the " + used + " training images used (see --train-subset)");
        }
    }

    /** Runs with the given stream for progress and results (tests pass their own). */
    public CifarExperiment withLog(PrintStream log) {
        this.log = log;
        return this;
    }

    /**
     * Runs the unfinished tasks (one mode of one seed) with {@code runner} (e.g. as Spark tasks, each calling
     * {@link #runTask}) instead of one after another in this process; the outputs are assembled as in a sequential run.
     */
    public CifarExperiment withTaskRunner(TaskRunner runner) {
        this.taskRunner = runner;
        return this;
    }

    /** The modes to train: --modes, else --alphas and (unless --no-linearized) the linearized model. */
    List<Mode> modeList() {
        if (modes != null) {
            return OptionRules.parseEach("--modes", modes, Mode::parse);
        }
        List<Mode> list = new ArrayList<>();
        for (double a : alphas) {
            list.add(Mode.lazy(a));
        }
        if (!noLinearized) {
            list.add(Mode.linearized());
        }
        return list;
    }

    /** The configuration of the first seed (see {@link CifarRunConfig#withSeed} for the others). */
    CifarRunConfig config() {
        return new CifarRunConfig(widthDivisor, ntk, modeList(), epochs, batchSize, lr, lrDecay, momentum, augment,
                trainSubset, testSubset, trainEvalSubset, seedList().get(0),
                VggLayout.parse("--layout", layout), parseEnum("--init", init, Vgg.Init.class),
                parseEnum("--loss", loss, Vgg.Loss.class), Momentum.parse("--momentum-type", momentumType),
                Architecture.parse("--model", model), parseEnum("--batch-norm-mode", batchNormMode,
                BatchNormMode.class));
    }

    /** The options that determine the numbers, by option name (saved at start, compared on --resume). */
    Map<String, Object> resultOptions() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("--width-divisor", widthDivisor);
        m.put("--ntk", ntk);
        m.put("--model", Architecture.parse("--model", model).option());
        m.put("--batch-norm-mode", parseEnum("--batch-norm-mode", batchNormMode, BatchNormMode.class).name()
                .toLowerCase(Locale.ROOT));
        m.put("--modes", modeList().stream().map(Mode::key).toList());
        m.put("--epochs", epochs);
        m.put("--batch-size", batchSize);
        m.put("--lr", lr);
        m.put("--lr-decay", lrDecay);
        m.put("--momentum", momentum);
        m.put("--momentum-type", Momentum.parse("--momentum-type", momentumType).option());
        m.put("--loss", parseEnum("--loss", loss, Vgg.Loss.class).name().toLowerCase(Locale.ROOT));
        m.put("--init", parseEnum("--init", init, Vgg.Init.class).name().toLowerCase(Locale.ROOT));
        m.put("--augment", augment);
        m.put("--train-subset", trainSubset);
        m.put("--test-subset", testSubset);
        m.put("--train-eval-subset", trainEvalSubset);
        m.put("--seeds", seedList());
        m.put("--preset", preset == null ? "none" : preset);
        m.put("--layout", VggLayout.parse("--layout", layout).name().toLowerCase(Locale.ROOT));
        return m;
    }

    @Override
    public Integer call() throws IOException {
        applyPreset();
        validate();
        CifarRunConfig config = config();
        List<Long> seedList = seedList();
        RunStart start = RunStart.open("cifar", run, resultOptions());
        out = start.dir();
        CifarSource source = new CifarLocator().locate(Optional.ofNullable(dataDir), download);
        checkSubsets(source);
        start.data(source.identity());
        RunData d = data(source);
        describeRun(config, source, d, seedList);
        RunManifest manifest = manifest(config, source, seedList);
        runTasksElsewhere(config, seedList);
        AtomicInteger budget = new AtomicInteger(stopAfterEpochs < 0 ? Integer.MAX_VALUE : stopAfterEpochs);
        List<SeedRun> runs = new ArrayList<>();
        for (long s : seedList) {
            Map<Mode, ModeResult> results = trainSeed(config, s, seedList, d, budget);
            if (results == null) {
                log.println("Stopped after the requested number of epochs; continue with --resume --out " + out);
                return 3;
            }
            runs.add(new SeedRun(s, results, d.testLabels()));
        }
        RunOutputs outputs = new RunOutputs(out);
        new CifarReport(config, source, runs, outputs, d.trainEvalSet().size(),
                matchTrainAccuracy == null ? OptionalDouble.empty() : OptionalDouble.of(matchTrainAccuracy)).write(log);
        List<Map<String, Object>> finals = new ArrayList<>();
        for (SeedRun run : runs) {
            run.modes().forEach((m, r) -> {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("seed", run.seed());
                e.put("final", r.last());
                e.put("peakResidentBytes", r.peakResidentBytes());
                finals.add(e);
            });
        }
        manifest.put("results", finals);
        outputs.manifest(manifest);
        log.println(outputs.wrote());
        return 0;
    }

    /** The run's data, preset, backend, model and recipe, as the log's first lines. */
    private void describeRun(CifarRunConfig config, CifarSource source, RunData d, List<Long> seedList) {
        OpenBlasCoreType.warning().ifPresent(w -> log.println("WARNING: " + w));
        log.println("Data: " + source.description() + "; using " + d.train().size() + " train / " + d.test().size()
                + " test");
        if (!presetApplied.isEmpty()) {
            StringBuilder set = new StringBuilder();
            presetApplied.forEach((k, v) -> set.append(' ').append(k).append(' ').append(v));
            log.println("Preset " + preset + " sets:" + set);
        }
        OneDnn.verify();                         // requested but inactive: an error with the cause, not a slow run
        log.println("Model: " + config.describeModel() + ", activations " + config.layout() + " (--layout " + layout
                + "); " + OneDnn.describe());
        log.printf(Locale.ROOT, "Modes: %s; seeds %s; %d epochs of batch %d, lr %.3g/(1+%.3g*epoch), %s momentum %.2f, "
                        + "%s loss, %s init%s%n", config.modes().stream().map(Mode::label).toList(), seedList, epochs,
                batchSize, lr, lrDecay, config.momentumKind().option(), momentum, config.loss().name().toLowerCase(
                        Locale.ROOT), config.init().name().toLowerCase(Locale.ROOT), augment ? ", augmentation" : "");
    }

    private RunManifest manifest(CifarRunConfig config, CifarSource source, List<Long> seedList) {
        Map<String, Object> asMap = new LinkedHashMap<>(config.asMap());
        asMap.put("seeds", seedList);
        asMap.put("preset", preset == null ? "none" : preset);
        asMap.put("presetOptions", presetApplied);
        RunManifest manifest = new RunManifest("cifar-experiment", asMap, seedList.get(0)).data(source.summary())
                .measureSgemm();
        manifest.put("backend", OneDnn.describe());
        return manifest;
    }

    /**
     * Every mode of seed {@code s}, each trained, resumed or read back finished; null when the epoch budget of this
     * process ran out (the mode in progress checkpointed). A stop request is thrown as {@link StopSignal#interrupted}.
     */
    private Map<Mode, ModeResult> trainSeed(CifarRunConfig config, long s, List<Long> seedList, RunData d,
                                            AtomicInteger budget) throws IOException {
        CifarRunConfig seedConfig = config.withSeed(s);
        CheckpointStore store = store(s, seedList);
        SeedData sd = d.forSeed(s, batchSize, augment);
        String tag = seedList.size() == 1 ? "" : " (seed " + s + ")";
        Map<Mode, ModeResult> results = new LinkedHashMap<>();
        for (Mode mode : config.modes()) {
            ModeResult r = ModeRun.finishedResult(store, mode);
            if (r != null) {
                if (taskRunner == null) {            // with a runner, said before it ran
                    log.println(mode.label() + tag + ": already finished in an earlier run");
                }
            } else {
                r = new ModeRun(seedConfig, mode, store, log).checkNonFinite(!allowNonFinite)
                        .runMode(sd.trainBatches(), sd.trainEval(), sd.testBatches(), sd.probe(), budget);
                TaskMemory.release();        // the finished mode's network, caches and workspaces
                if (r == null) {
                    if (StopSignal.requested()) {
                        throw StopSignal.interrupted("cifar", out, "during " + mode.label() + tag);
                    }
                    return null;
                }
            }
            results.put(mode, r);
        }
        return results;
    }

    /** The checkpoints of one seed: the run's folder for a single seed, else a folder per seed. */
    private CheckpointStore store(long seed, List<Long> seedList) {
        Path dir = seedList.size() == 1 ? out.resolve("checkpoints") : out.resolve("checkpoints").resolve("seed-" + seed);
        return new CheckpointStore(dir, Duration.ZERO);
    }

    /** The data every mode and seed trains and is measured on: subsets, one normalization, the test labels. */
    private record RunData(CifarSet train, CifarSet test, CifarSet trainEvalSet, CifarBatches.Normalization norm,
                           int[] testLabels) {

        SeedData forSeed(long seed, int batchSize, boolean augment) {
            return new SeedData(new CifarBatches(train, batchSize, seed, true, augment, norm),
                    new CifarBatches(trainEvalSet, 500, seed, false, false, norm),
                    new CifarBatches(test, 500, seed, false, false, norm),
                    new CifarBatches(train.balanced(Math.min(64, train.size())), 64, seed, false, false, norm)
                            .batch(0, 0).getFeatures());
        }
    }

    /** One seed's batch streams and probe images. */
    private record SeedData(CifarBatches trainBatches, CifarBatches trainEval, CifarBatches testBatches,
                            INDArray probe) {
    }

    private RunData data(CifarSource source) {
        CifarSet train = trainSubset > 0 ? source.train().balanced(trainSubset) : source.train();
        CifarSet test = testSubset > 0 ? source.test().balanced(testSubset) : source.test();
        int[] testLabels = new int[test.size()];
        for (int i = 0; i < testLabels.length; i++) {
            testLabels[i] = test.label(i);
        }
        return new RunData(train, test, train.balanced(trainEvalSubset), CifarBatches.Normalization.of(train),
                testLabels);
    }

    /** A task's name: the mode's key, prefixed by its seed when the run has several ("seed2-alpha100"). */
    static String taskName(long seed, Mode mode, List<Long> seedList) {
        return seedList.size() == 1 ? mode.key() : "seed" + seed + "-" + mode.key();
    }

    /** With a {@link TaskRunner}: runs the unfinished tasks through it (they are then read as finished modes). */
    private void runTasksElsewhere(CifarRunConfig config, List<Long> seedList) throws IOException {
        if (taskRunner == null) {
            return;
        }
        Map<String, Map.Entry<Long, Mode>> tasks = tasks(config, seedList);
        java.util.Set<String> finished = new java.util.HashSet<>();
        for (Map.Entry<String, Map.Entry<Long, Mode>> u : tasks.entrySet()) {
            if (ModeRun.finishedResult(store(u.getValue().getKey(), seedList), u.getValue().getValue()) != null) {
                finished.add(u.getKey());
            }
        }
        TaskProtocol.runPending(taskRunner, new ArrayList<>(tasks.keySet()), finished::contains,
                this::workerArgs, log);
    }

    /** The run's tasks ({@link #taskName}) → (seed, mode), in the order of the sequential run. */
    private static Map<String, Map.Entry<Long, Mode>> tasks(CifarRunConfig config, List<Long> seedList) {
        Map<String, Map.Entry<Long, Mode>> m = new LinkedHashMap<>();
        for (long s : seedList) {
            for (Mode mode : config.modes()) {
                m.put(taskName(s, mode, seedList), Map.entry(s, mode));
            }
        }
        return m;
    }

    /** The options a worker needs for {@link #runTask}: the run's result options, data options and absolute --out. */
    List<String> workerArgs() {
        Map<String, Object> options = resultOptions();
        options.remove("--preset", "none");                     // "none" is the record of no preset, not a name
        options.put("--match-train-accuracy", matchTrainAccuracy);
        options.put("--data-dir", dataDir);
        options.put("--download", download);
        options.put("--allow-non-finite", allowNonFinite);
        options.put("--layout", layout);
        options.put("--out", out);
        return TaskRunner.asArgs(options);
    }

    /**
     * Runs one task ({@link #taskName}: a mode of a seed) of the started run in {@code args}' --out, as a
     * {@link TaskRunner}'s worker does: the same option and data checks, data and training code as a sequential run;
     * resumes from the task's checkpoint; a task already finished is not trained again. Call {@link OneDnn#configure()}
     * first in a fresh JVM.
     *
     * @throws IllegalArgumentException for options that differ from the run's (run-options.json) or an unknown task
     */
    public static void runTask(List<String> args, String task, PrintStream log) throws IOException {
        CifarExperiment e = new CifarExperiment().withLog(log);
        new CommandLine(e).parseArgs(args.toArray(String[]::new));
        e.applyPreset();
        e.validate();
        e.out = e.run.out();
        JsonNode saved = TaskProtocol.startedRun(e.out, e.resultOptions());
        CifarRunConfig config = e.config();
        List<Long> seedList = e.seedList();
        Map.Entry<Long, Mode> which = TaskProtocol.find(tasks(config, seedList), task);
        long seed = which.getKey();
        Mode mode = which.getValue();
        CheckpointStore store = e.store(seed, seedList);
        if (ModeRun.finishedResult(store, mode) != null) {
            return;
        }
        CifarSource source = new CifarLocator().locate(Optional.ofNullable(e.dataDir), e.download);
        e.checkSubsets(source);
        RunOptionsFile.checkData(e.out, saved, source.identity());
        SeedData sd = e.data(source).forSeed(seed, e.batchSize, e.augment);
        OneDnn.verify();
        ModeResult r = new ModeRun(config.withSeed(seed), mode, store, log).checkNonFinite(!e.allowNonFinite)
                .runMode(sd.trainBatches(), sd.trainEval(), sd.testBatches(), sd.probe(),
                        new AtomicInteger(Integer.MAX_VALUE));
        if (r == null) {
            throw new IllegalStateException(task + ": stopped without a result");
        }
    }
}
