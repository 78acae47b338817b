package io.github.widenet.cifar;

import io.github.widenet.bench.PeakMemory;
import io.github.widenet.cifar.data.CifarBatches;
import io.github.widenet.cifar.data.CifarLocator;
import io.github.widenet.cifar.data.CifarSet;
import io.github.widenet.cifar.data.CifarSource;
import io.github.widenet.cifar.model.Vgg;
import io.github.widenet.cifar.model.VggLayout;
import io.github.widenet.linearized.LinearizedWrapper;
import io.github.widenet.nd4j.OneDnn;
import io.github.widenet.ntk.EmpiricalNtk;
import io.github.widenet.ntk.JacobianProducts;
import io.github.widenet.ntk.NtkProgress;
import io.github.widenet.ntk.NtkRegression;
import io.github.widenet.ntk.NtkSolution;
import io.github.widenet.report.RunOutputs;
import io.github.widenet.report.CsvTable;
import io.github.widenet.report.RunManifest;
import io.github.widenet.train.CliErrors;
import io.github.widenet.train.RunOptions;
import io.github.widenet.train.RunStart;
import io.github.widenet.train.StopSignal;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Sgd;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The matrix-free NTK regression ({@link NtkRegression}) of the CIFAR experiment's VGG-11 at initialisation on n CIFAR-10
 * training images — the t → ∞ limit of its lazy training with the squared loss on one-hot targets (centred: the
 * interpolant Θ(x, X)Θ⁻¹Y) — measured per n: seconds per conjugate-gradient iteration beside one epoch of the linearized
 * model's training on the same images, the peak resident memory, the iterations to 100% training accuracy and to a
 * residual of the tolerance, and the interpolant's training and test accuracy; beside it the explicit route (the Gram
 * matrix from {@link EmpiricalNtk}, then a dense solve) at small n, so the crossover is a measured number.
 */
@Command(name = "cifar-ntk", mixinStandardHelpOptions = true,
        description = "matrix-free NTK regression of VGG-11 on CIFAR-10: cost per CG iteration, iterations to "
                + "interpolation, accuracy; the explicit Gram route beside it",
        footer = {"", "Exit codes: 0 done, 1 data/file error, 2 invalid option, 3 stopped (Ctrl-C; the CG state is "
                + "checkpointed: continue with --resume)."})
public final class CifarNtk implements Callable<Integer> {

    @Option(names = "--data-dir", description = "CIFAR-10 data (as for ./widenet cifar)")
    Path dataDir;

    @Option(names = "--sizes", split = ",", defaultValue = "1000,5000,10000,50000",
            description = "training images n, class-balanced (default: ${DEFAULT-VALUE})")
    List<Integer> sizes;

    @Option(names = "--iterations", defaultValue = "300", description = "CG iteration cap per n (default: ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--seconds", split = ",", defaultValue = "1800", description = "wall-time budget of the CG solve: one "
            + "value for every n or one per n; the solve stops (checkpointed) when it is spent (default: ${DEFAULT-VALUE})")
    List<Double> seconds;

    @Option(names = "--tolerance", defaultValue = "1e-3", description = "relative residual to stop at (default: ${DEFAULT-VALUE})")
    double tolerance;

    @Option(names = "--preconditioner-rank", split = ",", defaultValue = "0", description = "rank s of the Nyström "
            + "preconditioner (0: none): one value for every n or one per n (default: ${DEFAULT-VALUE})")
    List<Integer> ranks;

    @Option(names = "--ridge", defaultValue = "0", description = "ridge λ >= 0 (default: ${DEFAULT-VALUE}: the interpolant)")
    double ridge;

    @Option(names = "--batch", defaultValue = "128", description = "images per forward/JVP/VJP pass (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--test-images", defaultValue = "10000", description = "test images the interpolant is evaluated on "
            + "(default: ${DEFAULT-VALUE})")
    int testImages;

    @Option(names = "--explicit-sizes", split = ",", defaultValue = "100,300",
            description = "n for the explicit Gram route (default: ${DEFAULT-VALUE}; 0 to skip it)")
    List<Integer> explicitSizes;

    @Option(names = "--explicit-block", defaultValue = "50", description = "EmpiricalNtk block size B (default: ${DEFAULT-VALUE})")
    int explicitBlock;

    @Option(names = "--width-divisor", defaultValue = "4", description = "VGG-11 width divisor (default: ${DEFAULT-VALUE})")
    int divisor;

    @Option(names = "--seed", defaultValue = "1", description = "w0 seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Mixin
    RunOptions run = new RunOptions();

    @Spec
    CommandSpec spec;

    /** The run directory, once started. */
    private Path dir;
    private RunOutputs outputs;

    public static void main(String[] args) {
        OneDnn.configure();
        System.exit(CliErrors.configure(new CommandLine(new CifarNtk()), "cifar-ntk").execute(args));
    }

    @Override
    public Integer call() throws Exception {
        String problem = validate();
        if (problem != null) {
            throw new CommandLine.ParameterException(new CommandLine(this), problem);
        }
        Map<String, Object> options = RunOptions.numbers(spec, "--data-dir");
        RunStart start = RunStart.open("cifar-ntk", run, options);
        dir = start.dir();
        outputs = new RunOutputs(dir);
        CifarSource source = new CifarLocator().locate(Optional.ofNullable(dataDir), false);
        start.data(source.identity());
        RunManifest manifest = new RunManifest("cifar-ntk", options, seed).data(source.summary()).measureSgemm();
        CifarSet train = source.train();
        int largest = java.util.stream.Stream.concat(sizes.stream(), explicitSizes.stream()).mapToInt(i -> i).max()
                .orElse(0);
        if (largest > train.size()) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--sizes/--explicit-sizes: n = " + largest
                    + " exceeds the " + train.size() + " training images of " + source.description());
        }
        CifarSet test = source.test().balanced(Math.min(testImages, source.test().size()));
        CifarBatches.Normalization norm = CifarBatches.Normalization.of(train);
        DataSetIterator testData = iterator(test, norm);

        Vgg.Spec spec = Vgg.Spec.vgg11(divisor, false, seed);
        MultiLayerNetwork net = new MultiLayerNetwork(Vgg.configuration(spec, new Sgd(0.01), CNN2DFormat.NHWC));
        net.init();
        System.out.printf(Locale.ROOT, "cifar-ntk: %s, P = %,d parameters, NHWC float32; %d test images%n",
                spec.describe(), net.numParams(), test.size());

        CsvTable table = new CsvTable("n", "parameters", "batch", "preconditioner_rank", "start_seconds", "cg_iterations", "seconds_per_iteration",
                "linearized_epoch_seconds", "iteration_over_epoch", "peak_rss_gb", "solver_vectors_mb",
                "iterations_to_full_train_accuracy", "iterations_to_tolerance", "final_residual", "train_accuracy",
                "test_accuracy", "stop");
        Map<String, double[][]> curves = new LinkedHashMap<>();
        for (int i = 0; i < sizes.size(); i++) {
            double budget = seconds.get(seconds.size() == 1 ? 0 : i);
            int rank = ranks.get(ranks.size() == 1 ? 0 : i);
            table.add(solve(net, train.balanced(sizes.get(i)), norm, testData, dir, curves, budget, rank).toArray());
            outputs.csv("ntk-regression.csv", table);
        }
        CsvTable explicit = new CsvTable("n", "block", "gram_seconds", "solve_seconds", "backward_passes",
                "peak_jacobian_gb", "peak_rss_gb", "cg_seconds_same_n", "cg_iterations_same_n",
                "prediction_difference");
        for (int n : explicitSizes.stream().filter(n -> n > 0).toList()) {
            StopSignal.check("cifar-ntk", dir, "before the explicit Gram route for n = " + n);
            explicit.add(explicit(net, train.balanced(n), norm, testData).toArray());
            outputs.csv("explicit-gram.csv", explicit);
        }
        outputs.lines("residual.png", "NTK regression of VGG-11/" + divisor + ": CG residual",
                "CG iteration", "relative residual ||Θa − Y||/||Y||", curves, false, true);
        String solver = "ridge λ = " + ridge + "; Nyström preconditioner of the rank in the table's column (0: none; its "
                + "set-up is in start_seconds, with the first pass)";
        new NtkReport(source.description(), spec.describe(), net.numParams(), tolerance, solver, table, explicit)
                .write(outputs);
        outputs.manifest(manifest);
        System.out.println(outputs.wrote());
        return 0;
    }

    private String validate() {
        if (sizes.isEmpty() || sizes.stream().anyMatch(n -> n < 10 || n > 50_000)) {
            return "--sizes: every n must be in 10..50000 (the training set has 50,000 images), got " + sizes;
        }
        if (explicitSizes.stream().anyMatch(n -> n < 0 || n > 50_000)) {
            return "--explicit-sizes: every n must be in 1..50000 (or 0 to skip the explicit route), got " + explicitSizes;
        }
        if (iterations < 1 || batch < 1 || explicitBlock < 1 || testImages < 10 || testImages > 10_000) {
            return "--iterations, --batch, --explicit-block must be >= 1 and --test-images in 10..10000; got "
                    + iterations + ", " + batch + ", " + explicitBlock + ", " + testImages;
        }
        if (seconds.stream().anyMatch(v -> !(v > 0) || v.isInfinite()) || !(tolerance > 0)) {
            return "--seconds and --tolerance must be finite and > 0, got " + seconds + ", " + tolerance;
        }
        if (seconds.size() != 1 && seconds.size() != sizes.size()) {
            return "--seconds: give one budget or one per --sizes value (" + sizes.size() + "), got " + seconds.size();
        }
        if (ranks.stream().anyMatch(r -> r < 0) || !(ridge >= 0) || Double.isInfinite(ridge)) {
            return "--preconditioner-rank must be >= 0 and --ridge finite and >= 0, got " + ranks + ", " + ridge;
        }
        if (ranks.size() != 1 && ranks.size() != sizes.size()) {
            return "--preconditioner-rank: give one rank or one per --sizes value (" + sizes.size() + "), got "
                    + ranks.size();
        }
        if (divisor < 1 || 64 % divisor != 0) {
            return "--width-divisor must divide 64, got " + divisor;
        }
        return null;
    }

    /** The n images in fixed order, NHWC, normalised, one-hot targets, in minibatches of {@code batch}. */
    private DataSetIterator iterator(CifarSet set, CifarBatches.Normalization norm) {
        CifarBatches b = new CifarBatches(set, batch, seed, false, false, norm);
        List<DataSet> list = new ArrayList<>();
        for (int i = 0; i < b.batchesPerEpoch(); i++) {
            DataSet d = b.batch(0, i);
            list.add(new DataSet(VggLayout.arrange(d.getFeatures(), CNN2DFormat.NHWC), d.getLabels()));
        }
        return new ListDataSetIterator<>(list, 1);
    }

    /** One n: an epoch of linearized training (timing), then the CG solve, then the interpolant's accuracy. */
    private List<Object> solve(MultiLayerNetwork net, CifarSet subset, CifarBatches.Normalization norm,
                               DataSetIterator testData, Path dir, Map<String, double[][]> curves, double budget,
                               int rank) throws Exception {
        int n = subset.size();
        DataSetIterator data = iterator(subset, norm);
        PeakMemory.reset();
        double epoch = linearizedEpochSeconds(net, data);
        long started = System.nanoTime();
        List<NtkProgress> seen = new ArrayList<>();
        NtkSolution fit = NtkRegression.builder().centred(true).tolerance(tolerance).maxIterations(iterations)
                .preconditionerRank(rank).ridge(ridge).checkpoint(dir.resolve("checkpoints").resolve("cg-n" + n + ".bin"), 5)
                .listener(NtkProgress.printingTo(System.out, 10))
                .listener(p -> seen.add(p) && (System.nanoTime() - started) / 1e9 < budget && !StopSignal.requested())
                .build().fit(net, data);
        StopSignal.check("cifar-ntk", this.dir, "during the CG solve for n = " + n);   // checkpointed by the stop
        double peak = PeakMemory.bytes() / 1e9;
        List<NtkProgress> history = fit.history();
        NtkProgress last = fit.last();
        double perIteration = secondsPerIteration(seen);
        double trainAcc = fit.accuracy(data);
        double testAcc = fit.accuracy(testData);
        double[][] curve = new double[2][history.size()];
        for (int i = 0; i < history.size(); i++) {
            curve[0][i] = history.get(i).iteration();
            curve[1][i] = Math.max(history.get(i).residual(), 1e-12);
        }
        curves.put("n = " + n, curve);
        CsvTable h = new CsvTable("iteration", "residual", "train_accuracy", "seconds", "recomputed");
        for (NtkProgress p : history) {
            h.add(p.iteration(), p.residual(), p.trainAccuracy(), p.seconds(), p.verified());
        }
        outputs.csv("history-n" + n + ".csv", h);
        long nk = (long) n * 10;
        double vectorsMb = 8.0 * (6 * nk + 4 * net.numParams()) / 1e6;
        System.out.printf(Locale.ROOT, "n = %d: %d CG iterations, %.2f s/iteration = %.2f x a linearized epoch (%.2f s), "
                        + "peak RSS %.2f GB; residual %.3e, train accuracy %.4f, test accuracy %.4f (%s)%n", n,
                last.iteration(), perIteration, perIteration / epoch, epoch, peak, last.residual(), trainAcc, testAcc,
                fit.stopReason());
        return List.of(n, net.numParams(), batch, rank, seen.get(0).seconds(), last.iteration(), perIteration, epoch, perIteration / epoch, peak,
                vectorsMb, firstIteration(history, p -> p.trainAccuracy() >= 1.0),
                firstIteration(history, p -> p.residual() <= tolerance), last.residual(), trainAcc, testAcc,
                fit.stopReason());
    }

    /** Median seconds per iteration over the iterations this process ran (recomputing ones excluded). */
    static double secondsPerIteration(List<NtkProgress> seen) {
        List<Double> d = new ArrayList<>();
        for (int i = 1; i < seen.size(); i++) {
            if (!seen.get(i).verified() && !seen.get(i - 1).verified() && seen.get(i).iteration() > seen.get(i - 1)
                    .iteration()) {
                d.add(seen.get(i).seconds() - seen.get(i - 1).seconds());
            }
        }
        if (d.isEmpty()) {
            return Double.NaN;
        }
        d.sort(Double::compare);
        return d.get(d.size() / 2);
    }

    private static String firstIteration(List<NtkProgress> history, java.util.function.Predicate<NtkProgress> test) {
        return history.stream().filter(test).findFirst().map(p -> String.valueOf(p.iteration())).orElse("not reached");
    }

    /** One epoch of the centred linearized VGG on the same minibatches (plain SGD): the yardstick of a CG iteration. */
    private static double linearizedEpochSeconds(MultiLayerNetwork net, DataSetIterator data) {
        MultiLayerNetwork lin = LinearizedWrapper.builder().centred(true).wrap(net);
        data.reset();
        lin.fit(data.next());                            // warm-up step
        data.reset();
        long t0 = System.nanoTime();
        while (data.hasNext()) {
            lin.fit(data.next());
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /**
     * Θ⁺y by the symmetric eigendecomposition (LAPACK), eigenvalues below 1e-10·λ_max treated as zero: the min-norm
     * solution, as conjugate gradients from a = 0 give.
     */
    static INDArray pseudoSolve(INDArray gram, INDArray y) {
        INDArray q = gram.castTo(DataType.DOUBLE).dup('f');
        double[] lambda = org.nd4j.linalg.eigen.Eigen.symmetricGeneralizedEigenvalues(q, true).toDoubleVector();
        double max = java.util.Arrays.stream(lambda).max().orElse(0);
        double[] inverse = new double[lambda.length];
        for (int i = 0; i < lambda.length; i++) {
            inverse[i] = lambda[i] > 1e-10 * max ? 1 / lambda[i] : 0;
        }
        INDArray qty = q.transpose().mmul(y).muli(org.nd4j.linalg.factory.Nd4j.createFromArray(inverse)
                .reshape(-1, 1));
        return q.mmul(qty);
    }

    /**
     * The explicit route at n: Θ from EmpiricalNtk (float), a dense double solve, predictions on 20 test images compared
     * with the matrix-free solve's.
     */
    private List<Object> explicit(MultiLayerNetwork net, CifarSet subset, CifarBatches.Normalization norm,
                                  DataSetIterator testData) {
        int n = subset.size();
        DataSetIterator data = iterator(subset, norm);
        List<INDArray> xs = new ArrayList<>();
        List<INDArray> ys = new ArrayList<>();
        data.reset();
        while (data.hasNext()) {
            DataSet d = data.next();
            xs.add(d.getFeatures());
            ys.add(d.getLabels());
        }
        INDArray x = org.nd4j.linalg.factory.Nd4j.concat(0, xs.toArray(new INDArray[0]));
        INDArray y = org.nd4j.linalg.factory.Nd4j.concat(0, ys.toArray(new INDArray[0])).castTo(DataType.DOUBLE);
        PeakMemory.reset();
        EmpiricalNtk ntk = EmpiricalNtk.of(net, explicitBlock);
        long t0 = System.nanoTime();
        INDArray gram = ntk.gram(x, EmpiricalNtk.Output.FULL).castTo(DataType.DOUBLE);
        double gramSeconds = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        INDArray a = pseudoSolve(gram, y.reshape(-1, 1));
        double solveSeconds = (System.nanoTime() - t1) / 1e9;
        double peak = PeakMemory.bytes() / 1e9;
        double jacobianGb = ntk.peakJacobianEntries() * 4.0 / 1e9;

        long t2 = System.nanoTime();
        NtkSolution fit = NtkRegression.builder().centred(true).tolerance(tolerance).maxIterations(iterations)
                .preconditionerRank(ranks.get(0)).build().fit(JacobianProducts.of(net), data);
        double cgSeconds = (System.nanoTime() - t2) / 1e9;
        testData.reset();
        INDArray first = testData.next().getFeatures();
        INDArray xt = first.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, Math.min(20, first.size(0))));
        INDArray viaGram = ntk.cross(xt, x, EmpiricalNtk.Output.FULL).castTo(DataType.DOUBLE).mmul(a)
                .reshape(xt.size(0), 10);
        INDArray viaCg = fit.predict(xt);
        double diff = viaGram.sub(viaCg).norm2Number().doubleValue() / viaGram.norm2Number().doubleValue();
        System.out.printf(Locale.ROOT, "explicit n = %d: Gram %.1f s (%d backward passes), solve %.2f s, peak RSS %.2f GB; "
                        + "CG to %.0e: %.1f s in %d iterations; predictions differ by %.2e (relative)%n", n, gramSeconds,
                ntk.backwardPasses(), solveSeconds, peak, tolerance, cgSeconds, fit.last().iteration(), diff);
        return List.of(n, explicitBlock, gramSeconds, solveSeconds, ntk.backwardPasses(), jacobianGb, peak, cgSeconds,
                fit.last().iteration(), diff);
    }
}
