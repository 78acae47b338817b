package io.github.widenet.cifar;

import io.github.widenet.train.CliErrors;

import io.github.widenet.cifar.data.CifarBatches;
import io.github.widenet.cifar.data.CifarLocator;
import io.github.widenet.cifar.data.CifarSet;
import io.github.widenet.cifar.data.CifarSource;
import io.github.widenet.nd4j.OneDnn;
import io.github.widenet.report.RunManifest;
import io.github.widenet.train.CheckpointStore;
import io.github.widenet.train.OptionRules;
import io.github.widenet.train.RunOptionsFile;
import io.github.widenet.train.UnitRunner;
import com.fasterxml.jackson.databind.JsonNode;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine;
import picocli.CommandLine.Command;
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
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lazy vs non-lazy training of a VGG-11 on CIFAR-10 (Chizat–Oyallon–Bach 2019): the same initial network trained as the
 * centred model α·(h(w) − h(w0)) on CE/α² for several α (α = 1 is standard training, large α is lazy) and as its
 * linearization J(w0)(w − w0). Reports accuracies, losses, relative parameter change and ReLU sign stability per mode;
 * writes results.csv, curves.csv, PNG plots, manifest.json and report.md.
 */
@Command(name = "cifar", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"VGG-11 on CIFAR-10: standard (alpha=1) vs lazy (large alpha) vs linearized training."},
        footer = {"", "Full scale (days on a 2-core CPU): --width-divisor 1 --train-subset 0 --test-subset 0 --epochs 70 "
                + "--augment", "Data: --data-dir, else $" + CifarLocator.ENV_CIFAR + ", else $" + CifarLocator.ENV_DATA
                + ", else DL4J's cache. A --data-dir or variable without the data is an error; downloads only with "
                + "--download.", "Exit codes: 0 done, 1 data/file error, 2 invalid option, 3 stopped as asked, "
                + "4 training diverged."})
public final class CifarExperiment implements Callable<Integer> {

    @Option(names = "--width-divisor", defaultValue = "4", description = "divide every VGG width by this (default: ${DEFAULT-VALUE}; 1 = full VGG-11)")
    int widthDivisor;

    @Option(names = "--ntk", description = "NTK parameterization (NtkConvolutionLayer/NtkDenseLayer)")
    boolean ntk;

    @Option(names = "--alphas", split = ",", defaultValue = "1,10,100,1000",
            description = "scales alpha of the centred models; 1 = standard training (default: ${DEFAULT-VALUE})")
    List<Double> alphas;

    @Option(names = "--no-linearized", description = "skip the linearized model")
    boolean noLinearized;

    @Option(names = "--epochs", defaultValue = "6", description = "epochs per mode (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "128", description = "(default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--lr", defaultValue = "0.005", description = "initial step eta0 (default: ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--lr-decay", defaultValue = "0.1", description = "beta in eta0/(1 + beta*epoch) (default: ${DEFAULT-VALUE})")
    double lrDecay;

    @Option(names = "--momentum", defaultValue = "0.9", description = "Nesterov momentum (default: ${DEFAULT-VALUE})")
    double momentum;

    @Option(names = "--augment", description = "random crops (4-pixel padding) and horizontal flips")
    boolean augment;

    @Option(names = "--train-subset", defaultValue = "10000", description = "class-balanced training subset, 0 = all (default: ${DEFAULT-VALUE})")
    int trainSubset;

    @Option(names = "--test-subset", defaultValue = "2000", description = "class-balanced test subset, 0 = all (default: ${DEFAULT-VALUE})")
    int testSubset;

    @Option(names = "--train-eval-subset", defaultValue = "2000", description = "training examples used to measure train accuracy (default: ${DEFAULT-VALUE})")
    int trainEvalSubset;

    @Option(names = "--seed", defaultValue = "1", description = "(default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--data-dir", description = "CIFAR-10 directory (binary batches, tar.gz, or train/ test/ image folders)")
    Path dataDir;

    @Option(names = "--download", description = "download the official binary release if no data is found")
    boolean download;

    @Option(names = "--out", description = "output directory (default: a new runs/cifar-<date>-<time>)")
    Path out;

    @Option(names = "--resume", description = "continue an interrupted run (in --out, else the latest runs/cifar-*); "
            + "finished modes and epochs are kept; options that change the numbers must be those the run started with "
            + "(run-options.json)")
    boolean resume;

    @Option(names = "--overwrite", description = "discard a previous run in --out")
    boolean overwrite;

    @Option(names = "--allow-non-finite", description = "do not stop at NaN/Inf inputs or parameters (DL4J's default);"
            + " by default every step checks its batch and every layer's parameters (one pass over them) and names the "
            + "layer and step. A diverging loss or parameter norm still stops the run (exit code 4).")
    boolean allowNonFinite;

    @Option(names = "--stop-after-epochs", hidden = true, defaultValue = "-1",
            description = "testing: stop (checkpointed) after this many epochs in this process")
    int stopAfterEpochs;

    private PrintStream log = System.out;
    private UnitRunner unitRunner;

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

    /** Checks every option value before anything is read or created; a violation names the option and the value. */
    void validate() {
        try {
            if (widthDivisor < 1 || widthDivisor > NARROWEST || NARROWEST % widthDivisor != 0) {
                throw new IllegalArgumentException("--width-divisor: must divide " + NARROWEST
                        + " (1, 2, 4, 8, 16, 32 or 64) so every VGG width is divided exactly, got " + widthDivisor);
            }
            for (double a : alphas) {
                OptionRules.finitePositive("--alphas", a);
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
            OptionRules.notBoth("--resume", resume, "--overwrite", overwrite,
                    "--resume continues the run in --out, --overwrite discards it");
            OptionRules.existingDirectory("--data-dir", dataDir);
            OptionRules.writableDirectory("--out", out);
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
     * Runs the unfinished modes with {@code runner} (e.g. as Spark tasks, each calling {@link #runUnit}) instead of one
     * after another in this process; the outputs are assembled as in a sequential run.
     */
    public CifarExperiment withUnitRunner(UnitRunner runner) {
        this.unitRunner = runner;
        return this;
    }

    CifarRunConfig config() {
        List<Mode> modes = new ArrayList<>();
        for (double a : alphas) {
            modes.add(Mode.lazy(a));
        }
        if (!noLinearized) {
            modes.add(Mode.linearized());
        }
        return new CifarRunConfig(widthDivisor, ntk, modes, epochs, batchSize, lr, lrDecay, momentum, augment,
                trainSubset, testSubset, trainEvalSubset, seed);
    }

    /** The options that determine the numbers, by option name (saved at start, compared on --resume). */
    Map<String, Object> resultOptions() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("--width-divisor", widthDivisor);
        m.put("--ntk", ntk);
        m.put("--alphas", alphas);
        m.put("--no-linearized", noLinearized);
        m.put("--epochs", epochs);
        m.put("--batch-size", batchSize);
        m.put("--lr", lr);
        m.put("--lr-decay", lrDecay);
        m.put("--momentum", momentum);
        m.put("--augment", augment);
        m.put("--train-subset", trainSubset);
        m.put("--test-subset", testSubset);
        m.put("--train-eval-subset", trainEvalSubset);
        m.put("--seed", seed);
        return m;
    }

    @Override
    public Integer call() throws IOException {
        validate();
        CifarRunConfig config = config();
        prepareOutput();
        Map<String, Object> options = resultOptions();
        Optional<JsonNode> saved = Optional.empty();
        if (resume) {
            try {
                saved = RunOptionsFile.checkResume(out, options);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
            }
        }
        CifarSource source = new CifarLocator().locate(Optional.ofNullable(dataDir), download);
        checkSubsets(source);
        if (saved.isPresent()) {
            try {
                RunOptionsFile.checkData(out, saved.get(), source.identity());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
            }
        } else {
            RunOptionsFile.write(out, options, source.identity());
        }
        RunData d = data(source);
        CifarSet train = d.train();
        CifarSet test = d.test();
        log.println("Data: " + source.description() + "; using " + train.size() + " train / " + test.size() + " test");
        OneDnn.verify();                         // requested but inactive: an error with the cause, not a slow run
        log.println("Model: " + config.model().describe() + "; " + OneDnn.describe());
        log.printf(Locale.ROOT, "Modes: %s; %d epochs of batch %d, lr %.3g/(1+%.3g*epoch), Nesterov %.2f%s%n",
                config.modes().stream().map(Mode::label).toList(), epochs, batchSize, lr, lrDecay, momentum,
                augment ? ", augmentation" : "");
        RunManifest manifest = new RunManifest("cifar-experiment", config.asMap(), seed).data(source.summary());
        manifest.put("backend", OneDnn.describe());

        CheckpointStore store = new CheckpointStore(out.resolve("checkpoints"), Duration.ZERO);
        runUnitsElsewhere(config, store);
        AtomicInteger budget = new AtomicInteger(stopAfterEpochs < 0 ? Integer.MAX_VALUE : stopAfterEpochs);
        Map<Mode, List<EpochRecord>> results = new LinkedHashMap<>();
        for (Mode mode : config.modes()) {
            List<EpochRecord> records = ModeRun.finished(store, mode);
            if (records != null) {
                if (unitRunner == null) {                // with a runner, said before it ran
                    log.println(mode.label() + ": already finished in an earlier run");
                }
            } else {
                records = new ModeRun(config, mode, store, log).checkNonFinite(!allowNonFinite).run(d.trainBatches(),
                        d.trainEval(), d.testBatches(), d.probe(), budget);
                if (records == null) {
                    log.println("Stopped after the requested number of epochs; continue with --resume --out " + out);
                    return 3;
                }
            }
            results.put(mode, records);
        }
        new CifarReport(config, source, results, out, test.size()).write(log);
        manifest.put("results", results.values().stream().map(r -> r.get(r.size() - 1)).toList());
        manifest.write(out.resolve("manifest.json"));
        return 0;
    }

    /** The data every mode trains and is measured on: subsets, batch streams (one normalization) and probe images. */
    private record RunData(CifarSet train, CifarSet test, CifarBatches trainBatches, CifarBatches trainEval,
                           CifarBatches testBatches, INDArray probe) {
    }

    private RunData data(CifarSource source) {
        CifarSet train = trainSubset > 0 ? source.train().balanced(trainSubset) : source.train();
        CifarSet test = testSubset > 0 ? source.test().balanced(testSubset) : source.test();
        CifarBatches.Normalization norm = CifarBatches.Normalization.of(train);
        CifarBatches trainBatches = new CifarBatches(train, batchSize, seed, true, augment, norm);
        CifarBatches trainEval = new CifarBatches(train.balanced(trainEvalSubset), 500, seed, false, false,
                norm);
        CifarBatches testBatches = new CifarBatches(test, 500, seed, false, false, norm);
        INDArray probe = new CifarBatches(train.balanced(Math.min(64, train.size())), 64, seed, false, false, norm)
                .batch(0, 0).getFeatures();
        return new RunData(train, test, trainBatches, trainEval, testBatches, probe);
    }

    /** With a {@link UnitRunner}: runs the unfinished modes through it (they are then read as finished modes). */
    private void runUnitsElsewhere(CifarRunConfig config, CheckpointStore store) throws IOException {
        if (unitRunner == null) {
            return;
        }
        List<String> pending = new ArrayList<>();
        for (Mode mode : config.modes()) {
            if (ModeRun.finished(store, mode) == null) {
                pending.add(mode.key());
            } else {
                log.println(mode.label() + ": already finished in an earlier run");
            }
        }
        if (!pending.isEmpty()) {
            unitRunner.runAll(workerArgs(), pending);
        }
    }

    /** The options a worker needs for {@link #runUnit}: the run's result options, data options and absolute --out. */
    List<String> workerArgs() {
        List<String> a = new ArrayList<>();
        resultOptions().forEach((name, value) -> {
            if (value instanceof Boolean b) {
                if (b) {
                    a.add(name);
                }
            } else {
                a.add(name);
                a.add(value instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList())
                        : String.valueOf(value));
            }
        });
        if (dataDir != null) {
            a.addAll(List.of("--data-dir", dataDir.toAbsolutePath().normalize().toString()));
        }
        if (download) {
            a.add("--download");
        }
        if (allowNonFinite) {
            a.add("--allow-non-finite");
        }
        a.addAll(List.of("--out", out.toAbsolutePath().normalize().toString()));
        return a;
    }

    /**
     * Runs one mode ({@link Mode#key()}) of the started run in {@code args}' --out, as a {@link UnitRunner}'s worker
     * does: the same option and data checks, data and training code as a sequential run; resumes from the mode's
     * checkpoint; a mode already finished is not trained again. Call {@link OneDnn#configure()} first in a fresh JVM.
     *
     * @throws IllegalArgumentException for options that differ from the run's (run-options.json) or an unknown mode
     */
    public static void runUnit(List<String> args, String unit, PrintStream log) throws IOException {
        CifarExperiment e = new CifarExperiment().withLog(log);
        new CommandLine(e).parseArgs(args.toArray(String[]::new));
        e.validate();
        if (e.out == null) {
            throw new IllegalArgumentException("--out: a unit needs the run directory the sweep started");
        }
        JsonNode saved = RunOptionsFile.read(e.out).orElseThrow(() -> new IllegalArgumentException("--out: " + e.out
                + " holds no started run (no " + RunOptionsFile.FILE + "); every worker must see the run directory "
                + "the driver created (a shared file system)"));
        RunOptionsFile.checkOptions(e.out, saved, e.resultOptions());
        CifarRunConfig config = e.config();
        Mode mode = config.modes().stream().filter(m -> m.key().equals(unit)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unit '" + unit + "' is not one of this run's modes "
                        + config.modes().stream().map(Mode::key).toList()));
        CheckpointStore store = new CheckpointStore(e.out.resolve("checkpoints"), Duration.ZERO);
        if (ModeRun.finished(store, mode) != null) {
            return;
        }
        CifarSource source = new CifarLocator().locate(Optional.ofNullable(e.dataDir), e.download);
        e.checkSubsets(source);
        RunOptionsFile.checkData(e.out, saved, source.identity());
        RunData d = e.data(source);
        OneDnn.verify();
        List<EpochRecord> records = new ModeRun(config, mode, store, log).checkNonFinite(!e.allowNonFinite)
                .run(d.trainBatches(), d.trainEval(), d.testBatches(), d.probe(), new AtomicInteger(Integer.MAX_VALUE));
        if (records == null) {
            throw new IllegalStateException(unit + ": stopped without a result");
        }
    }

    private void prepareOutput() throws IOException {
        try {
            out = io.github.widenet.train.RunDirectory.choose(out, "cifar", resume, overwrite);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
    }
}
