package io.github.widenet.cifar;

import io.github.widenet.train.TaskMemory;
import io.github.widenet.lazy.LazyWrapper;

import io.github.widenet.cifar.data.CifarBatches;
import io.github.widenet.cifar.model.Vgg;
import io.github.widenet.cifar.model.VggLayout;
import io.github.widenet.diagnostics.ParameterChange;
import io.github.widenet.diagnostics.ReluSignStability;
import io.github.widenet.diagnostics.UnderlyingNetwork;
import io.github.widenet.train.AtomicFile;
import io.github.widenet.train.CheckpointStore;
import io.github.widenet.train.DivergenceDetector;
import io.github.widenet.train.NonFiniteGuard;
import io.github.widenet.train.ProgressBarListener;
import io.github.widenet.train.StopSignal;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.schedule.InverseSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Trains one mode for the configured epochs: SGD with heavy-ball or Nesterov momentum and step η0/(1 + β·epoch), measuring after each
 * epoch and checkpointing (network, records, ReLU sign history), so a killed run resumes at the last finished epoch;
 * a stop request ({@link StopSignal}, Ctrl-C) checkpoints after the batch in progress, and the resumed mode continues
 * with the next batch of that epoch.
 * Divergence ({@link DivergenceDetector}) and non-finite inputs or parameters ({@link NonFiniteGuard}) stop it with a
 * {@link io.github.widenet.train.TrainingStoppedException} naming --lr, before the mode's results are recorded.
 */
final class ModeRun {


    private final CifarRunConfig config;
    private final Mode mode;
    private final CheckpointStore store;
    private final PrintStream log;
    private boolean checkNonFinite = true;

    ModeRun(CifarRunConfig config, Mode mode, CheckpointStore store, PrintStream log) {
        this.config = config;
        this.mode = mode;
        this.store = store;
        this.log = log;
    }

    /** Whether a {@link NonFiniteGuard} checks inputs and parameters every step (default on; --allow-non-finite). */
    ModeRun checkNonFinite(boolean on) {
        this.checkNonFinite = on;
        return this;
    }

    String task() {
        return mode.key();
    }

    /** The network every mode starts from (same seed, hence the same w0). */
    static Model base(CifarRunConfig config) {
        return Networks.build(config, config.momentumKind().updater(
                new InverseSchedule(ScheduleType.EPOCH, config.lr(), config.lrDecay(), 1.0), config.momentum()));
    }

    /**
     * Trains the mode; the result also holds the predicted class of every test image (in {@code test}'s order) after
     * every epoch and the peak resident memory while training.
     *
     * @param epochBudget epochs this process may still run (decremented); when it runs out, or a stop is requested
     *                    ({@link StopSignal}), the mode is left checkpointed and null is returned
     */
    ModeResult runMode(CifarBatches train, CifarBatches trainEval, CifarBatches test, INDArray probe,
                       AtomicInteger epochBudget) throws IOException {
        TaskMemory.resetPeak();
        if (mode.isNtkLimit()) {
            return new NtkLimitRun(config, mode, store, log).run(train.unaugmented(), trainEval, test);
        }
        String lr = "lower --lr (now " + config.lr() + ") and start a new run (another --out, or --overwrite)";
        DivergenceDetector detector = new DivergenceDetector(mode.label(), 10,
                (long) config.epochs() * train.batchesPerEpoch(), lr);
        NonFiniteGuard guard = new NonFiniteGuard(mode.label(), lr + "; --allow-non-finite skips this check");
        Progress p = restoreOrStart(detector, probe, train.batchesPerEpoch());
        if (Double.isNaN(detector.initialNorm())) {
            detector.parameters(0, p.net.params().norm2Number().doubleValue());
        }
        if (checkNonFinite) {
            Networks.setListeners(p.net, guard);
        }
        // the wrapped modes collect their inner networks' garbage themselves (WrapperBuilder.collectGarbageEvery)
        for (int epoch = p.records.size(); epoch < config.epochs(); epoch++) {
            if (epochBudget.getAndDecrement() <= 0 || !trainEpoch(p, epoch, train, detector, guard)) {
                return null;
            }
            endEpoch(p, epoch, trainEval, test, detector);
        }
        store.markDone(task(), ModeState.finished(p.records, p.peak, p.epochPredictions, p.outputs));
        store.delete(task());
        Files.deleteIfExists(reluFile());
        return new ModeResult(p.records, p.epochPredictions.size() == p.records.size() ? p.epochPredictions : null,
                p.peak, p.outputs);
    }

    /** A mode's training so far: what a checkpoint holds, and where the next batch starts. */
    private static final class Progress {
        Model net;
        UnderlyingNetwork underlying;
        CNN2DFormat layout;
        ReluSignStability relu;
        final List<EpochRecord> records = new ArrayList<>();
        final List<int[]> epochPredictions = new ArrayList<>();
        long peak = -1;
        int firstBatch;                              // > 0: a checkpoint taken mid-epoch on a stop request
        double partialSeconds;
        long stepsDone;
        double seconds;
        float[] outputs;                             // the test outputs after the final epoch
    }

    /** The mode's checkpoint restored (said in the log), else its network at w0. */
    private Progress restoreOrStart(DivergenceDetector detector, INDArray probe, int batchesPerEpoch)
            throws IOException {
        Progress p = new Progress();
        var ckpt = store.load(task());
        if (ckpt.isPresent()) {
            p.net = ckpt.get().model();
            ModeState saved = ModeState.of(ckpt.get().state());
            p.records.addAll(saved.records());
            p.underlying = UnderlyingNetwork.of(p.net);
            if (mode.isPlain()) {
                p.underlying.withInitial(base(config).params());     // same seed, same w0
            }
            if (saved.peakResidentBytes() != null) {
                p.peak = saved.peakResidentBytes();
            }
            if (saved.epochPredictions() != null) {
                p.epochPredictions.addAll(saved.epochPredictions());
            }
            if (saved.initialParamNorm() != null) {
                detector.initialNorm(saved.initialParamNorm());
            }
            if (saved.batchesDoneInEpoch() != null) {
                p.firstBatch = saved.batchesDoneInEpoch();
                p.partialSeconds = saved.epochSecondsSoFar();
            }
        } else {
            p.net = mode.wrap(base(config), config.batchNormMode());
            p.underlying = UnderlyingNetwork.of(p.net);
            if (mode.isPlain()) {
                p.underlying.snapshotInitial();
            }
        }
        p.layout = VggLayout.of(p.underlying);      // a resumed mode keeps its checkpoint's layout
        p.relu = new ReluSignStability(p.underlying, VggLayout.arrange(probe, p.layout));
        if (ckpt.isPresent()) {
            p.relu.load(reluFile());
            log.printf(Locale.ROOT, "%s: resuming after epoch %d of %d%s (activations %s, as checkpointed)%n",
                    mode.label(), p.records.size(), config.epochs(), p.firstBatch == 0 ? ""
                            : " and batch " + p.firstBatch + " of " + batchesPerEpoch, p.layout);
        }
        p.stepsDone = (long) p.records.size() * batchesPerEpoch + p.firstBatch;
        p.seconds = p.records.isEmpty() ? 0 : p.records.get(p.records.size() - 1).trainSeconds();
        return p;
    }

    /** Trains epoch {@code epoch}'s batches; false when a stop request left it checkpointed mid-epoch. */
    private boolean trainEpoch(Progress p, int epoch, CifarBatches train, DivergenceDetector detector,
                               NonFiniteGuard guard) throws IOException {
        Networks.setEpochCount(p.net, epoch);
        int batches = train.batchesPerEpoch();
        ProgressBarListener bar = new ProgressBarListener(String.format(Locale.ROOT, "%-20s epoch %d/%d",
                mode.label(), epoch + 1, config.epochs()), batches, log, ProgressBarListener.isTerminal(), 10,
                System::nanoTime).startAt(p.firstBatch);
        long start = System.nanoTime() - (long) (p.partialSeconds * 1e9);
        for (int b = p.firstBatch; b < batches; b++) {
            DataSet batch = inLayout(train.batch(epoch, b), p.layout);
            if (checkNonFinite) {
                guard.checkInput(batch.getFeatures(), "epoch " + (epoch + 1) + " batch " + (b + 1));
            }
            Networks.fit(p.net, batch);
            double loss = LazyWrapper.unscaledScore(p.net);
            detector.loss(p.stepsDone, loss);
            p.stepsDone++;
            if (detector.parametersDue(p.stepsDone)) {
                detector.parameters(p.stepsDone, p.net.params().norm2Number().doubleValue());
            }
            bar.step(b + 1, loss, batch.numExamples());
            if (StopSignal.requested() && b + 1 < batches) {
                AtomicFile.write(reluFile(), p.relu::write);
                store.save(task(), p.net, ModeState.afterEpochs(p.records, detector.initialNorm(), p.peak,
                        p.epochPredictions).midEpoch(b + 1, (System.nanoTime() - start) / 1e9).asMap());
                return false;
            }
        }
        p.firstBatch = 0;
        p.partialSeconds = 0;
        p.seconds += (System.nanoTime() - start) / 1e9;
        return true;
    }

    /** After an epoch: its measurements recorded and logged, and (but after the last) a checkpoint. */
    private void endEpoch(Progress p, int epoch, CifarBatches trainEval, CifarBatches test,
                          DivergenceDetector detector) throws IOException {
        boolean mixed = usesBatchStatisticsAtInference();
        double[] tr = evaluate(p.net, trainEval, p.layout, null, config.loss(), null, mixed);
        int[] predictions = new int[test.size()];
        if (epoch + 1 == config.epochs()) {
            p.outputs = new float[test.size() * NUM_CLASSES];
        }
        double[] te = evaluate(p.net, test, p.layout, predictions, config.loss(), p.outputs, mixed);
        p.epochPredictions.add(predictions);
        p.peak = Math.max(p.peak, TaskMemory.peakResident());
        Map<String, Double> perLayer = p.relu.update();
        EpochRecord r = new EpochRecord(mode.label(), epoch + 1, tr[0], tr[1], te[0], te[1],
                ParameterChange.of(p.underlying).total(), p.relu.overall(perLayer), perLayer, p.seconds,
                FrozenGatesAccuracy.of(p.underlying, mode, test, p.layout));
        p.records.add(r);
        log.printf(Locale.ROOT, "%-20s epoch %2d: train acc %.4f loss %.4f | test acc %.4f loss %.4f | "
                        + "frozen gates %.4f | |w-w0|/|w0| %.3g | ReLU signs kept %.4f%n", mode.label(), r.epoch(),
                r.trainAccuracy(), r.trainLoss(), r.testAccuracy(), r.testLoss(), r.frozenGatesTestAccuracy(),
                r.relativeChange(), r.reluStable());
        if (epoch + 1 < config.epochs()) {
            AtomicFile.write(reluFile(), p.relu::write);
            store.save(task(), p.net, ModeState.afterEpochs(p.records, detector.initialNorm(), p.peak,
                    p.epochPredictions).asMap());
        }
    }

    /**
     * Whether this mode's network normalises with minibatch statistics when it predicts: a wrapped mode of a network
     * with BatchNormalization in {@link io.github.widenet.layers.BatchNormMode#TRAINING}. Such a network is evaluated
     * in class-mixed batches (a class-sorted batch would normalise one class by itself).
     */
    private boolean usesBatchStatisticsAtInference() {
        return !mode.isPlain() && config.architecture().hasBatchNorm()
                && config.batchNormMode() == io.github.widenet.layers.BatchNormMode.TRAINING;
    }

    private static final int NUM_CLASSES = 10;

    private Path reluFile() {
        return store.directory().resolve(task() + "-relu-signs.bin");
    }

    /** The batch with its images [N, C, H, W] arranged in {@code layout} (see {@link VggLayout#arrange}). */
    static DataSet inLayout(DataSet batch, CNN2DFormat layout) {
        return layout == CNN2DFormat.NCHW ? batch
                : new DataSet(VggLayout.arrange(batch.getFeatures(), layout), batch.getLabels());
    }

    /**
     * Accuracy and mean loss (cross-entropy of the softmax outputs, or with {@code loss} MSE the squared loss
     * (1/K)·Σ_k (f_k − y_k)² of the raw outputs, not divided by α²) over a set (no augmentation), in batches with the images in
     * {@code layout} (the network's), also writing each example's predicted class (arg max, in the set's unshuffled
     * order) into {@code predicted} when it is not null.
     */
    static double[] evaluate(Model net, CifarBatches set, CNN2DFormat layout, int[] predicted,
                             Vgg.Loss lossKind, float[] outputs) {
        return evaluate(net, set, layout, predicted, lossKind, outputs, false);
    }

    /**
     * As above; with {@code classMixed} the images are fed in {@link CifarBatches#classMixed} batches (for inference
     * with batch statistics) and the predictions and outputs written back in the set's stored order.
     */
    static double[] evaluate(Model net, CifarBatches set, CNN2DFormat layout, int[] predicted,
                             Vgg.Loss lossKind, float[] outputs, boolean classMixed) {
        CifarBatches batches = classMixed ? set.classMixed() : set;
        int[] position = batches.order(0);
        long correct = 0;
        double loss = 0;
        int at = 0;
        for (int b = 0; b < batches.batchesPerEpoch(); b++) {
            DataSet d = inLayout(batches.batch(0, b), layout);
            INDArray p = Networks.output(net, d.getFeatures()).castTo(DataType.DOUBLE);
            INDArray y = d.getLabels().castTo(DataType.DOUBLE);
            INDArray argMax = p.argMax(1);
            correct += argMax.eq(y.argMax(1)).castTo(DataType.INT).sumNumber().longValue();
            int rows = (int) p.size(0);
            int k = (int) p.size(1);
            if (outputs != null) {
                float[] values = p.castTo(DataType.FLOAT).dup('c').data().asFloat();
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(values, r * k, outputs, position[at + r] * k, k);
                }
            }
            if (predicted != null) {
                int[] batch = argMax.toIntVector();
                for (int r = 0; r < rows; r++) {
                    predicted[position[at + r]] = batch[r];
                }
            }
            at += rows;
            loss += lossKind == Vgg.Loss.MSE ? p.squaredDistance(y) / y.size(1)
                    : -org.nd4j.linalg.ops.transforms.Transforms.log(p.mul(y).sum(1).addi(1e-12), false)
                    .sumNumber().doubleValue();
        }
        return new double[]{correct / (double) set.size(), loss / set.size()};
    }

    /**
     * The result of a finished mode, or null when it has not finished; predictions are null (and peak memory -1) for a
     * mode finished by a version that did not record them.
     */
    static ModeResult finishedResult(CheckpointStore store, Mode mode) throws IOException {
        Optional<ModeState> m = store.result(mode.key(), ModeState.class);     // an unreadable file: an error naming it
        if (m.isEmpty()) {
            return null;
        }
        ModeState s = m.get();
        if (s.records() == null || s.records().isEmpty()) {
            throw new IOException(store.resultFile(mode.key()) + ": not the result of the finished mode " + mode.label() + " (no \"records\" "
                    + "list); delete it to train that mode again");
        }
        List<int[]> predictions = s.epochPredictions() != null && s.epochPredictions().size() == s.records().size()
                ? s.epochPredictions() : null;
        return new ModeResult(s.records(), predictions, s.peakResidentBytes() == null ? -1 : s.peakResidentBytes(),
                s.testOutputs());
    }
}
