package io.github.widenet.theory.pde.sgd;

import io.github.widenet.theory.pde.MixtureTask;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

/**
 * Fresh samples of the Gaussian mixture: y = ±1 with probability ½, x = τ_y g, g ~ N(0, I_d). Batch k is a pure function
 * of (seed, k), so a resumed run sees exactly the samples an uninterrupted one would (online SGD: no sample is reused).
 */
public final class MixtureSampler {

    private final MixtureTask task;
    private final long seed;

    public MixtureSampler(MixtureTask task, long seed) {
        this.task = task;
        this.seed = seed;
    }

    /** Batch {@code k} of {@code size} examples: features size × d, labels size × 1 (double). */
    public DataSet batch(long k, int size) {
        return batch(k, size, DataType.DOUBLE);
    }

    /** Batch {@code k} in the given precision. */
    public DataSet batch(long k, int size, DataType dataType) {
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + k);
        int d = task.dimension();
        double[] x = new double[size * d];
        double[] y = new double[size];
        for (int b = 0; b < size; b++) {
            int c = rng.nextBoolean() ? 0 : 1;
            y[b] = MixtureTask.label(c);
            double tau = task.tau(c);
            for (int j = 0; j < d; j++) {
                x[b * d + j] = tau * rng.nextGaussian();
            }
        }
        return new DataSet(Nd4j.create(x, new long[]{size, d}, DataType.DOUBLE).castTo(dataType),
                Nd4j.create(y, new long[]{size, 1}, DataType.DOUBLE).castTo(dataType));
    }
}
