package io.github.widenet.mnist.data;

import org.nd4j.linalg.dataset.DataSet;

import java.util.SplittableRandom;

/**
 * Minibatches of an {@link MnistSet} in a shuffled order that is a pure function of (seed, epoch): batch b of epoch e is
 * always the same examples, so a run resumed at (e, b) sees exactly the batches an uninterrupted run would. The last
 * batch of an epoch is smaller when the set size is not a multiple of the batch size.
 */
public final class MnistBatches {

    private final MnistSet set;
    private final int batchSize;
    private final long seed;
    private int cachedEpoch = -1;
    private int[] cachedOrder;

    public MnistBatches(MnistSet set, int batchSize, long seed) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.set = set;
        this.batchSize = batchSize;
        this.seed = seed;
    }

    public int batchesPerEpoch() {
        return (set.size() + batchSize - 1) / batchSize;
    }

    public int batchSize() {
        return batchSize;
    }

    /** The permutation of example indices used in {@code epoch} (Fisher–Yates from a generator seeded by seed and epoch). */
    public int[] order(int epoch) {
        if (epoch == cachedEpoch) {
            return cachedOrder;
        }
        int[] p = new int[set.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        for (int i = p.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        cachedEpoch = epoch;
        cachedOrder = p;
        return p;
    }

    /** Batch {@code index} of {@code epoch}. */
    public DataSet batch(int epoch, int index) {
        if (index < 0 || index >= batchesPerEpoch()) {
            throw new IndexOutOfBoundsException("batch " + index + " of " + batchesPerEpoch());
        }
        int from = index * batchSize;
        int to = Math.min(set.size(), from + batchSize);
        return set.dataSet(order(epoch), from, to);
    }

    /** The batch of global step {@code step} (0-based), counting batches across epochs. */
    public DataSet batchForStep(long step) {
        int per = batchesPerEpoch();
        return batch((int) (step / per), (int) (step % per));
    }
}
