package io.github.widenet.mnist.data;

import org.nd4j.linalg.dataset.DataSet;

import io.github.widenet.train.EpochOrder;

/**
 * Minibatches of an {@link MnistSet} in a shuffled order that is a pure function of (seed, epoch): batch b of epoch e is
 * always the same examples, so a run resumed at (e, b) sees exactly the batches an uninterrupted run would. The last
 * batch of an epoch is smaller when the set size is not a multiple of the batch size.
 */
public final class MnistBatches {

    private final MnistSet set;
    private final int batchSize;
    private final EpochOrder order;

    public MnistBatches(MnistSet set, int batchSize, long seed) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.set = set;
        this.batchSize = batchSize;
        this.order = new EpochOrder(set.size(), seed, true);
    }

    public int batchesPerEpoch() {
        return (set.size() + batchSize - 1) / batchSize;
    }

    public int batchSize() {
        return batchSize;
    }

    /** The permutation of example indices used in {@code epoch} (see {@link EpochOrder}). */
    public int[] order(int epoch) {
        return order.of(epoch);
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
