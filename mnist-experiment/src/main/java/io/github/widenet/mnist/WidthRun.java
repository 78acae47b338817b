package io.github.widenet.mnist;

import io.github.widenet.train.TaskMemory;
import io.github.widenet.layers.runtime.WidthScaledLayerRuntime;
import io.github.widenet.mnist.data.MnistBatches;
import io.github.widenet.mnist.data.MnistSet;
import io.github.widenet.sgd.InPlaceSgd;
import io.github.widenet.train.CheckpointStore;
import io.github.widenet.train.DivergenceDetector;
import io.github.widenet.train.NonFiniteGuard;
import io.github.widenet.train.ProgressBarListener;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Trains one 784 → m → 10 width-scaled network (cross-entropy, plain SGD through {@link InPlaceSgd}, minibatches in a
 * seeded order) for a fixed number of steps, saving unit snapshots at the configured steps and checkpoints every few
 * minutes; a run resumed from a checkpoint continues with the same batches and reaches the same final numbers. A
 * diverging run (see {@link DivergenceDetector}) or non-finite inputs or parameters (see {@link NonFiniteGuard}) stop it
 * with a {@link io.github.widenet.train.TrainingStoppedException} naming --eta, before any result is recorded.
 */
final class WidthRun {

    private static final int LOSS_WINDOW = 100;
    /**
     * Parameters the NaN guard scans per step: every step up to N = 10,000 (7.9 M parameters), every 25th at 250,000,
     * where a full scan costs a fifth of a step.
     */
    static final long GUARD_PARAMETERS_PER_STEP = 8_000_000;

    private final RunConfig config;
    private final Scaling scaling;
    private final int width;
    private final Path snapshotDir;
    private final CheckpointStore store;
    private final PrintStream log;
    private boolean checkNonFinite = true;

    WidthRun(RunConfig config, Scaling scaling, int width, Path snapshotDir, CheckpointStore store, PrintStream log) {
        this.config = config;
        this.scaling = scaling;
        this.width = width;
        this.snapshotDir = snapshotDir;
        this.store = store;
        this.log = log;
    }

    /** Whether a {@link NonFiniteGuard} checks inputs and parameters every step (default on; --allow-non-finite). */
    WidthRun checkNonFinite(boolean on) {
        this.checkNonFinite = on;
        return this;
    }

    /** Name of this task in checkpoints and results. */
    String task() {
        return taskName(scaling, width);
    }

    /** The task name of a (scaling, width): "mean-field-m1000". */
    static String taskName(Scaling scaling, int width) {
        return scaling.label() + "-m" + width;
    }

    Path snapshotFile(long step) {
        return snapshotDir.resolve(task() + "-step" + step + ".units");
    }

    static MultiLayerNetwork network(RunConfig config, Scaling scaling, int width) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(config.seed() + width)          // both scalings of a width start from the same units
                .list()
                .layer(scaling.layer(784, width, MnistSet.CLASSES, config.activation(), config.eta()))
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * Trains (or resumes) this task.
     *
     * @param stepBudget steps this process may still run (for interrupted-run tests), decremented per step; when it runs
     *                   out the task is left checkpointed and empty is returned
     */
    Optional<WidthResult> run(MnistSet train, MnistSet test, java.util.concurrent.atomic.AtomicLong stepBudget)
            throws IOException {
        Files.createDirectories(snapshotDir);
        TaskMemory.release();                        // earlier tasks' networks: ND4J frees them when collected
        TaskMemory.resetPeak();                      // this task's own peak, not the process's so far
        String eta = "lower the base step size --eta (now " + config.eta() + ") and start a new run (another --out, "
                + "or --overwrite)";
        DivergenceDetector detector = new DivergenceDetector(task(), MnistSet.CLASSES, config.steps(), eta);
        NonFiniteGuard guard = new NonFiniteGuard(task(), eta + "; --allow-non-finite skips this check")
                .parameterBudget(GUARD_PARAMETERS_PER_STEP);
        Progress p = restoreOrStart(detector);
        if (Double.isNaN(detector.initialNorm())) {
            detector.parameters(p.step, p.net.params().norm2Number().doubleValue());
        }
        if (checkNonFinite) {
            p.net.setListeners(guard);
        }
        if (!train(p, train, stepBudget, detector, guard)) {
            return Optional.empty();
        }
        p.peak = Math.max(p.peak, residentPeak());
        double testAcc = accuracy(p.net, test);
        double trainAcc = accuracy(p.net, train.first(10_000));
        double meanLoss = 0;
        int n = (int) Math.min(LOSS_WINDOW, config.steps());
        for (int i = 0; i < n; i++) {
            meanLoss += p.losses[i] / n;
        }
        WidthResult result = new WidthResult(scaling.label(), width, config.steps(), testAcc, trainAcc, meanLoss,
                p.trainSeconds, p.trainSeconds / config.steps(), p.peak);
        store.markDone(task(), result);
        store.delete(task());
        return Optional.of(result);
    }

    /** A task's training so far: what a checkpoint holds. */
    private static final class Progress {
        MultiLayerNetwork net;
        long step;
        final double[] losses = new double[LOSS_WINDOW];
        double trainSeconds;
        long peak;
    }

    /** The task's checkpoint restored (said in the log), else its network at initialisation. */
    private Progress restoreOrStart(DivergenceDetector detector) throws IOException {
        Progress p = new Progress();
        Optional<CheckpointStore.Checkpoint> ckpt = store.load(task());
        if (ckpt.isPresent()) {
            p.net = ckpt.get().multiLayerNetwork();
            p.step = ckpt.get().getLong("step");
            p.trainSeconds = ((Number) ckpt.get().state().get("trainSeconds")).doubleValue();
            p.peak = ckpt.get().getLong("peakResidentBytes");
            @SuppressWarnings("unchecked")
            java.util.List<Number> saved = (java.util.List<Number>) ckpt.get().state().get("losses");
            for (int i = 0; i < saved.size(); i++) {
                p.losses[i] = saved.get(i).doubleValue();
            }
            log.printf(Locale.ROOT, "%s: resuming at step %d of %d%n", task(), p.step, config.steps());
            if (ckpt.get().state().get("initialParamNorm") instanceof Number n0) {
                detector.initialNorm(n0.doubleValue());
            }
        } else {
            p.net = network(config, scaling, width);
            p.peak = residentPeak();
        }
        return p;
    }

    /** SGD to the last step, with snapshots and checkpoints; false when stopped (checkpointed) before it. */
    private boolean train(Progress p, MnistSet train, java.util.concurrent.atomic.AtomicLong stepBudget,
                          DivergenceDetector detector, NonFiniteGuard guard) throws IOException {
        WidthScaledLayerRuntime block = (WidthScaledLayerRuntime) p.net.getLayer(0);
        InPlaceSgd sgd = new InPlaceSgd(p.net);      // net.fit's steps without DL4J's W-sized gradient array
        if (p.step == 0 && !Files.exists(snapshotFile(0))) {
            UnitSnapshot.of(block, 0).write(snapshotFile(0));
        }
        MnistBatches batches = new MnistBatches(train, config.batchSize(), config.seed());
        ProgressBarListener bar = new ProgressBarListener(String.format(Locale.ROOT, "%-10s m=%-7d", scaling.label(),
                width), config.steps(), log, ProgressBarListener.isTerminal(), 10, System::nanoTime).startAt(p.step);
        java.util.Set<Long> snapshotSteps = new java.util.HashSet<>(config.snapshotSteps());
        long started = System.nanoTime();
        double secondsBefore = p.trainSeconds;
        while (p.step < config.steps()) {
            if (stepBudget.getAndDecrement() <= 0 || io.github.widenet.train.StopSignal.requested()) {
                p.trainSeconds = secondsBefore + (System.nanoTime() - started) / 1e9;
                checkpoint(p.net, p.step, p.losses, p.trainSeconds, p.peak, detector.initialNorm());
                bar.finish();
                return false;
            }
            DataSet batch = batches.batchForStep(p.step);
            if (checkNonFinite) {
                guard.checkInput(batch.getFeatures(), "step " + (p.step + 1));
            }
            double loss = sgd.fit(batch);
            detector.loss(p.step, loss);
            p.losses[(int) (p.step % LOSS_WINDOW)] = loss;
            p.step++;
            if (detector.parametersDue(p.step)) {
                detector.parameters(p.step, p.net.params().norm2Number().doubleValue());
            }
            bar.step(p.step, loss, batch.numExamples());
            if (p.step % 50 == 0) {
                p.peak = Math.max(p.peak, residentPeak());
            }
            if (snapshotSteps.contains(p.step)) {
                UnitSnapshot.of(block, p.step).write(snapshotFile(p.step));
            }
            if (p.step < config.steps() && store.due()) {
                checkpoint(p.net, p.step, p.losses, secondsBefore + (System.nanoTime() - started) / 1e9, p.peak,
                        detector.initialNorm());
            }
        }
        p.trainSeconds = secondsBefore + (System.nanoTime() - started) / 1e9;
        return true;
    }

    /** Peak resident bytes since this task started (Linux), else the current resident size. */
    private static long residentPeak() {
        long p = TaskMemory.peakResident();
        return p > 0 ? p : Pointer.physicalBytes();
    }

    private void checkpoint(MultiLayerNetwork net, long step, double[] losses, double trainSeconds, long peak,
                            double initialNorm) throws IOException {
        store.save(task(), net, Map.of("step", step, "losses", losses, "trainSeconds", trainSeconds,
                "peakResidentBytes", peak, "initialParamNorm", initialNorm));
    }

    /** Hidden activations held at once while evaluating: 1000 examples at m ≤ 25,000, fewer above (100 MB of floats). */
    static final long EVAL_HIDDEN_VALUES = 25_000_000L;

    /** Classification accuracy of the network on a set, in batches of up to 1000 (fewer for wide networks). */
    static double accuracy(MultiLayerNetwork net, MnistSet set) {
        long units = ((WidthScaledLayerRuntime) net.getLayer(0)).units();
        int rows = (int) Math.max(1, Math.min(1000, EVAL_HIDDEN_VALUES / units));
        int[] order = new int[set.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        long correct = 0;
        for (int from = 0; from < set.size(); from += rows) {
            int to = Math.min(set.size(), from + rows);
            DataSet d = set.dataSet(order, from, to);
            INDArray predicted = net.output(d.getFeatures()).argMax(1);
            INDArray actual = d.getLabels().argMax(1);
            correct += predicted.eq(actual).castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().longValue();
        }
        return correct / (double) set.size();
    }
}
