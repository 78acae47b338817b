package io.github.widenet.train;

import java.util.SplittableRandom;

/**
 * The example order of each epoch as a pure function of (seed, epoch): a Fisher–Yates shuffle driven by a generator
 * seeded from both, so a run resumed at any (epoch, batch) sees exactly the minibatches an uninterrupted run would.
 * The last order is cached.
 */
public final class EpochOrder {

    private final int size;
    private final long seed;
    private final boolean shuffle;
    private int cachedEpoch = -1;
    private int[] cached;

    public EpochOrder(int size, long seed, boolean shuffle) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, got " + size);
        }
        this.size = size;
        this.seed = seed;
        this.shuffle = shuffle;
    }

    /** The permutation of 0..size−1 used in {@code epoch} (the identity when not shuffling); do not modify it. */
    public int[] of(int epoch) {
        if (epoch == cachedEpoch) {
            return cached;
        }
        int[] p = new int[size];
        for (int i = 0; i < size; i++) {
            p[i] = i;
        }
        if (shuffle) {
            SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
            for (int i = size - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = p[i];
                p[i] = p[j];
                p[j] = t;
            }
        }
        cachedEpoch = epoch;
        cached = p;
        return p;
    }
}
