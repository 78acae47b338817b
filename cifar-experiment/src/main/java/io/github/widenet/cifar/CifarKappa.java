package io.github.widenet.cifar;

import io.github.widenet.cifar.data.CifarBatches;
import io.github.widenet.cifar.data.CifarLocator;
import io.github.widenet.cifar.data.CifarSet;
import io.github.widenet.cifar.data.CifarSource;
import io.github.widenet.cifar.model.Vgg;
import io.github.widenet.diagnostics.RelativeScale;
import io.github.widenet.diagnostics.UnderlyingNetwork;
import io.github.widenet.nd4j.OneDnn;
import io.github.widenet.report.RunOutputs;
import io.github.widenet.report.CsvTable;
import io.github.widenet.report.MarkdownReport;
import io.github.widenet.report.RunManifest;
import io.github.widenet.train.CheckpointStore;
import io.github.widenet.train.CliErrors;
import io.github.widenet.train.InvalidOptionException;
import io.github.widenet.train.OptionRules;
import io.github.widenet.train.RunOptions;
import io.github.widenet.train.RunStart;
import io.github.widenet.train.StopSignal;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The relative scale κ (Chizat–Oyallon–Bach 2019) of the CIFAR experiment's lazy models at initialisation, for each α:
 * the lazy model α(h(w) − h(w0)) with one-hot targets y* has residual ‖y*‖, Jacobian α∇h and Hessian α∇²h, so
 * κ_α = ‖y*‖·‖∇²h‖/(α‖∇h‖²) — the theory's 1/α. It is measured (double precision, {@link RelativeScale}) on the plain
 * VGG with targets h(w0) + y* / α, which gives the same residual direction and the residual ‖y*‖ / α: an independent power
 * iteration per α.
 */
@Command(name = "cifar-kappa", mixinStandardHelpOptions = true, sortOptions = false,
        description = "relative scale kappa of the lazy VGG-11 at initialisation, per alpha, on CIFAR-10 test images",
        footer = {"", "Exit codes: 0 done, 1 data/file error, 2 invalid option, 3 stopped (continue with --resume)."})
public final class CifarKappa implements Callable<Integer> {

    static final int MAX_ITERATIONS = 40;
    static final double TOLERANCE = 1e-4;

    /** One α's measurement (a finished task of the run). */
    public record KappaResult(double alpha, double residualNorm, double jacobianNorm, double hessianNorm, double kappa,
                              int iterations, double seconds) {
    }

    @Spec
    CommandSpec spec;

    @Mixin
    RunOptions run = new RunOptions();

    @Option(names = "--data-dir", description = "CIFAR-10 data (as for ./widenet cifar)")
    Path dataDir;

    @Option(names = "--images", defaultValue = "32",
            description = "test images, class-balanced, at most " + CifarExperiment.OFFICIAL_TEST
                    + " (default: ${DEFAULT-VALUE})")
    int images;

    @Option(names = "--alphas", split = ",", defaultValue = "1,10,100,1000", description = "scales (default: ${DEFAULT-VALUE})")
    List<Double> alphas;

    @Option(names = "--width-divisor", defaultValue = "4", description = "VGG-11 width divisor (default: ${DEFAULT-VALUE})")
    int divisor;

    @Option(names = "--seed", defaultValue = "1", description = "w0 and power-iteration seed (default: ${DEFAULT-VALUE})")
    long seed;

    private PrintStream log = System.out;

    public static void main(String[] args) {
        OneDnn.configure();
        System.exit(commandLine(new CifarKappa()).execute(args));
    }

    /** The command line of {@code k} with the project's one-line errors and exit codes. */
    static CommandLine commandLine(CifarKappa k) {
        return CliErrors.configure(new CommandLine(k), "cifar-kappa");
    }

    /** Runs with the given stream for progress and results (tests pass their own). */
    CifarKappa withLog(PrintStream log) {
        this.log = log;
        return this;
    }

    /** Checks every option value before anything is read or created. */
    private void validate() {
        try {
            OptionRules.inRange("--images", images, 1, CifarExperiment.OFFICIAL_TEST);
            if (divisor < 1 || 64 % divisor != 0) {
                throw new IllegalArgumentException("--width-divisor: must divide 64, got " + divisor);
            }
            for (double a : alphas) {
                OptionRules.finitePositive("--alphas", a);
            }
            OptionRules.distinct("--alphas", alphas);
            OptionRules.existingDirectory("--data-dir", dataDir);
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException(e.getMessage(), e);
        }
    }

    @Override
    public Integer call() throws Exception {
        validate();
        RunStart start = RunStart.open("cifar-kappa", run, RunOptions.numbers(spec, "--data-dir"));
        Path dir = start.dir();
        CifarSource source = new CifarLocator().locate(Optional.ofNullable(dataDir), false);
        if (images > source.test().size()) {
            throw new InvalidOptionException("--images: " + images + " exceeds the " + source.test().size()
                    + " test images of " + source.description());
        }
        start.data(source.identity());
        RunManifest m = new RunManifest("cifar-kappa", java.util.Map.of("images", images, "alphas", alphas,
                "widthDivisor", divisor, "maxIterations", MAX_ITERATIONS, "tolerance", TOLERANCE), seed)
                .data(source.summary());                 // its wall time runs from here
        CifarSet test = source.test().balanced(images);
        DataSet batch = new CifarBatches(test, images, seed, false, false, CifarBatches.Normalization.of(test))
                .batch(0, 0);
        INDArray x = batch.getFeatures().castTo(DataType.DOUBLE);
        INDArray yStar = batch.getLabels().castTo(DataType.DOUBLE);
        Vgg.Spec model = Vgg.Spec.vgg11(divisor, false, seed).withDataType(DataType.DOUBLE);
        MultiLayerNetwork net = new MultiLayerNetwork(Vgg.configuration(model, new Sgd(0.01)));
        net.init();
        INDArray h0 = UnderlyingNetwork.of(net).logitsAt(x);
        CheckpointStore store = new CheckpointStore(dir.resolve("checkpoints"), java.time.Duration.ZERO);

        CsvTable t = new CsvTable("alpha", "residual_norm", "jacobian_norm", "hessian_norm", "kappa", "kappa_times_alpha",
                "power_iterations", "seconds");
        double[] ka = new double[alphas.size()];
        int capped = 0;
        for (int i = 0; i < alphas.size(); i++) {
            double a = alphas.get(i);
            String task = "alpha=" + Mode.format(a);
            Optional<KappaResult> done = store.result(task, KappaResult.class);
            if (done.isEmpty()) {
                StopSignal.check("cifar-kappa", dir, "before " + task);
                long t0 = System.nanoTime();
                RelativeScale.Estimate e = new RelativeScale().seed(seed).maxIterations(MAX_ITERATIONS)
                        .tolerance(TOLERANCE).estimate(net, x, h0.add(yStar.div(a)));
                done = Optional.of(new KappaResult(a, e.residualNorm(), e.jacobianNorm(), e.hessianNorm(), e.kappa(),
                        e.iterations(), (System.nanoTime() - t0) / 1e9));
                store.markDone(task, done.get());
            }
            KappaResult r = done.get();
            ka[i] = r.kappa() * a;
            capped += r.iterations() >= MAX_ITERATIONS ? 1 : 0;
            t.add(a, r.residualNorm(), r.jacobianNorm(), r.hessianNorm(), r.kappa(), ka[i], r.iterations(), r.seconds());
            log.printf(Locale.ROOT, "alpha %-8s kappa %.4g  (kappa*alpha %.4g, %d iterations, %.0f s)%n",
                    Mode.format(a), r.kappa(), ka[i], r.iterations(), r.seconds());
        }
        RunOutputs outputs = new RunOutputs(dir);
        outputs.csv("kappa.csv", t);
        double min = java.util.Arrays.stream(ka).min().orElse(0);
        double max = java.util.Arrays.stream(ka).max().orElse(0);
        String law = String.format(Locale.ROOT, "κ·α ranges over %.4g–%.4g across α = %s (spread %.2g%% of its mean)",
                min, max, alphas, 100 * (max - min) / ((max + min) / 2));
        outputs.report(new MarkdownReport().heading(1, "Relative scale κ of the lazy VGG-11 at initialisation")
                .paragraph("Data: " + source.description() + "; " + test.size() + " class-balanced test images, one-hot "
                        + "targets y*. Model: " + model.describe() + " (double precision), seed " + seed + ".")
                .paragraph("κ_h(w0) = ‖h(w0) − y*‖·‖∇²h(w0)‖/‖∇h(w0)‖² (RelativeScale: empirical output norm, ‖∇h‖ by "
                        + "power iteration on JᵀJ, ‖∇²h‖ on the residual direction by power iteration on "
                        + "finite-difference Hessian-vector products). For the lazy model α(h(w) − h(w0)) it is "
                        + "measured on h with targets h(w0) + y*/α; the theory gives κ ∝ 1/α.")
                .table(t)
                .paragraph(law + "." + (max - min <= 0.05 * (max + min) / 2 ? " κ falls like 1/α, as the theory says."
                        : " κ does not follow 1/α within 5%.")
                        + (capped == 0 ? " Every Hessian power iteration met its tolerance (" + TOLERANCE + ")."
                        : " The Hessian power iteration reached its cap of " + MAX_ITERATIONS + " iterations without "
                        + "meeting the tolerance " + TOLERANCE + " for " + capped + " of " + alphas.size() + " α: "
                        + "its ‖∇²h‖ (and κ) is then a lower estimate (the iterates increase towards the top |eigenvalue|).")));
        outputs.manifest(m);
        log.println(law);
        log.println(outputs.wrote());
        return 0;
    }
}
