package io.github.widenet.theory.pde.sgd;

import io.github.widenet.theory.pde.MixtureTask;
import io.github.widenet.theory.pde.PiecewiseLinearSigma;
import io.github.widenet.train.CheckpointStore;
import io.github.widenet.train.ProgressBarListener;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Online SGD of the {@link MeanFieldNetwork} on fresh mixture samples, minibatches of B with time εB per step, from
 * t = 0 to the last recorded time; records unit norms and test risk at the recorded times, checkpoints every few minutes
 * and resumes to the same numbers (batches are a function of (seed, step)). Stops with an exception when the loss is
 * no longer finite or a unit norm exceeds {@link #DIVERGED_NORM}.
 */
public final class SgdRun {

    /** A unit norm beyond this means the run has diverged (the PDE's norms stay below ~10 for the paper's setting). */
    public static final double DIVERGED_NORM = 1e3;

    private final MixtureTask task;
    private final PiecewiseLinearSigma sigma;
    private final double initScale;
    private final int width;
    private final long seed;
    private final double eps;
    private final int batch;
    private final double[] times;
    private final DataSet test;
    private final DataType dataType;

    public SgdRun(MixtureTask task, PiecewiseLinearSigma sigma, double initScale, int width, long seed, double eps,
                  int batch, double[] times, DataSet test, DataType dataType) {
        this.task = task;
        this.sigma = sigma;
        this.initScale = initScale;
        this.width = width;
        this.seed = seed;
        this.eps = eps;
        this.batch = batch;
        this.times = times.clone();
        this.test = test;
        this.dataType = dataType;
    }

    public String task() {
        return SgdTrace.task(width, seed, eps);
    }

    /** The SGD step at which time t is reached: round(t / (εB)); t must be a multiple of εB. */
    public static long stepAt(double t, double eps, int batch) {
        double k = t / (eps * batch);
        long step = Math.round(k);
        if (Math.abs(k - step) > 1e-6 * Math.max(1, k)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "time %s is not a multiple of eps*batch = %s; choose times on that grid", t, eps * batch));
        }
        return step;
    }

    /**
     * Trains (or resumes) this run.
     *
     * @param stepBudget steps this process may still run (tests of interruption); when it runs out the run is
     *                   checkpointed and empty is returned
     */
    public Optional<SgdTrace> run(CheckpointStore store, AtomicLong stepBudget, PrintStream log) throws IOException {
        long total = stepAt(times[times.length - 1], eps, batch);
        MultiLayerNetwork net;
        long step;
        int recorded;
        double seconds;
        double[][] norms = new double[times.length][];
        double[] risk = new double[times.length];
        double[] half = new double[times.length];
        Optional<CheckpointStore.Checkpoint> ckpt = store.load(task());
        if (ckpt.isPresent()) {
            net = ckpt.get().multiLayerNetwork();
            MeanFieldNetwork.freeze(net);
            Map<String, Object> s = ckpt.get().state();
            step = ckpt.get().getLong("step");
            recorded = ((Number) s.get("recorded")).intValue();
            seconds = ((Number) s.get("trainSeconds")).doubleValue();
            List<?> savedNorms = (List<?>) s.get("norms");
            for (int i = 0; i < recorded; i++) {
                norms[i] = toArray((List<?>) savedNorms.get(i));
            }
            double[] r = toArray((List<?>) s.get("risk"));
            double[] h = toArray((List<?>) s.get("riskHalfWidth"));
            System.arraycopy(r, 0, risk, 0, recorded);
            System.arraycopy(h, 0, half, 0, recorded);
            log.printf(Locale.ROOT, "%s: resuming at step %d of %d%n", task(), step, total);
        } else {
            net = MeanFieldNetwork.create(task.dimension(), width, sigma, initScale, eps, batch, seed, dataType);
            step = 0;
            recorded = 0;
            seconds = 0;
        }
        MixtureSampler sampler = new MixtureSampler(task, seed);
        ProgressBarListener bar = new ProgressBarListener(String.format(Locale.ROOT, "SGD N=%-5d seed %d eps %.1e",
                width, seed, eps), total, log, ProgressBarListener.isTerminal(), 10, System::nanoTime).startAt(step);
        long started = System.nanoTime();
        double before = seconds;
        while (true) {
            while (recorded < times.length && stepAt(times[recorded], eps, batch) == step) {
                norms[recorded] = MeanFieldNetwork.unitNorms(net);
                double[] rr = testRisk(net);
                risk[recorded] = rr[0];
                half[recorded] = rr[1];
                checkFinite(norms[recorded], step);
                recorded++;
            }
            if (step >= total) {
                break;
            }
            if (stepBudget.getAndDecrement() <= 0 || io.github.widenet.train.StopSignal.requested()) {
                save(store, net, step, recorded, norms, risk, half, before + (System.nanoTime() - started) / 1e9);
                bar.finish();
                return Optional.empty();
            }
            net.fit(sampler.batch(step, batch, dataType));
            double loss = net.score();
            if (!Double.isFinite(loss)) {
                bar.finish();
                throw new io.github.widenet.train.TrainingStoppedException(String.format(Locale.ROOT, "%s diverged at t = %.4g (step %d): "
                        + "training loss %s; lower --eps", task(), step * eps * batch, step, loss));
            }
            step++;
            bar.step(step, loss, batch);
            if (step < total && store.due()) {
                save(store, net, step, recorded, norms, risk, half, before + (System.nanoTime() - started) / 1e9);
            }
        }
        bar.finish();
        seconds = before + (System.nanoTime() - started) / 1e9;
        SgdTrace trace = new SgdTrace(width, seed, eps, batch, times.clone(), norms, risk, half, seconds,
                total * batch);
        store.markDone(task(), trace);
        store.delete(task());
        return Optional.of(trace);
    }

    private void checkFinite(double[] r, long step) {
        for (double v : r) {
            if (!Double.isFinite(v) || v > DIVERGED_NORM) {
                throw new io.github.widenet.train.TrainingStoppedException(String.format(Locale.ROOT, "%s diverged at t = %.4g (step %d): a unit "
                        + "norm is %s (limit %s); lower --eps", task(), step * eps * batch, step, v, DIVERGED_NORM));
            }
        }
    }

    /** Mean of (y − f(x))² over the test sample and 1.96 × its standard error. */
    private double[] testRisk(MultiLayerNetwork net) {
        INDArray f = net.output(test.getFeatures());
        double[] e = f.sub(test.getLabels()).toDoubleVector();
        double s = 0;
        double s2 = 0;
        for (double v : e) {
            s += v * v;
            s2 += v * v * v * v;
        }
        int n = e.length;
        double mean = s / n;
        double var = Math.max(0, s2 / n - mean * mean) * n / Math.max(1, n - 1);
        return new double[]{mean, 1.96 * Math.sqrt(var / n)};
    }

    private void save(CheckpointStore store, MultiLayerNetwork net, long step, int recorded, double[][] norms,
                             double[] risk, double[] half, double seconds) throws IOException {
        List<double[]> done = new ArrayList<>();
        for (int i = 0; i < recorded; i++) {
            done.add(norms[i]);
        }
        Map<String, Object> state = new HashMap<>();
        state.put("step", step);
        state.put("recorded", recorded);
        state.put("trainSeconds", seconds);
        state.put("norms", done);
        state.put("risk", risk);
        state.put("riskHalfWidth", half);
        store.save(task(), net, state);
    }

    private static double[] toArray(List<?> values) {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) values.get(i)).doubleValue();
        }
        return out;
    }
}
