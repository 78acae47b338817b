package io.github.widenet.cifar.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import io.github.widenet.train.EpochOrder;

import java.util.SplittableRandom;

/**
 * Minibatches of a {@link CifarSet} as DL4J data: float features [b, 3, 32, 32] normalised per channel,
 * x = (p/255 − mean_c)/std_c, and one-hot labels [b, 10]. The example order of epoch e is a pure function of (seed, e)
 * and the augmentation of each example (random crop of 32×32 from the image zero-padded by 4 pixels, random horizontal
 * flip) a pure function of (seed, e, example), so a run resumed at (e, b) sees exactly the same batches.
 */
public final class CifarBatches {

    private static final int PAD = 4;

    private final CifarSet set;
    private final int batchSize;
    private final long seed;
    private final boolean augment;
    private final Normalization norm;
    private final EpochOrder order;
    /** A fixed example order for every epoch instead of {@link #order} (see {@link #classMixed}), or null. */
    private final int[] fixedOrder;

    /** Per-channel mean and standard deviation of pixel/255. */
    public record Normalization(double[] mean, double[] std) {
        /** Computed on a (training) set. */
        public static Normalization of(CifarSet set) {
            double[] sum = new double[3];
            double[] sq = new double[3];
            byte[] p = set.pixels();
            int plane = CifarSet.SIDE * CifarSet.SIDE;
            for (int i = 0; i < set.size(); i++) {
                for (int c = 0; c < 3; c++) {
                    int base = i * CifarSet.PIXELS + c * plane;
                    for (int j = 0; j < plane; j++) {
                        double v = (p[base + j] & 0xff) / 255.0;
                        sum[c] += v;
                        sq[c] += v * v;
                    }
                }
            }
            double n = (double) set.size() * plane;
            double[] mean = new double[3];
            double[] std = new double[3];
            for (int c = 0; c < 3; c++) {
                mean[c] = sum[c] / n;
                std[c] = Math.sqrt(Math.max(1e-12, sq[c] / n - mean[c] * mean[c]));
            }
            return new Normalization(mean, std);
        }
    }

    public CifarBatches(CifarSet set, int batchSize, long seed, boolean shuffle, boolean augment, Normalization norm) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.set = set;
        this.batchSize = batchSize;
        this.seed = seed;
        this.augment = augment;
        this.norm = norm;
        this.order = new EpochOrder(set.size(), seed, shuffle);
        this.fixedOrder = null;
    }

    private CifarBatches(CifarBatches base, int[] fixedOrder) {
        this.set = base.set;
        this.batchSize = base.batchSize;
        this.seed = base.seed;
        this.augment = false;
        this.norm = base.norm;
        this.order = base.order;
        this.fixedOrder = fixedOrder;
    }

    /**
     * The same images, unaugmented, in one fixed order that deals the classes round-robin (the first image of each
     * class in stored order, then the second of each, …), so every batch holds about batchSize/10 images of each class:
     * for evaluating a network whose inference uses batch statistics (BatchNormalization in the wrappers' TRAINING
     * mode), which on a class-sorted set (a balanced subset, the JPEG folders) would see one class per batch.
     * {@link #order}(e) gives the stored index of each position.
     */
    public CifarBatches classMixed() {
        java.util.List<java.util.ArrayDeque<Integer>> byClass = new java.util.ArrayList<>();
        for (int k = 0; k < CifarSet.CLASSES; k++) {
            byClass.add(new java.util.ArrayDeque<>());
        }
        for (int i = 0; i < set.size(); i++) {
            byClass.get(set.label(i)).add(i);
        }
        int[] mixed = new int[set.size()];
        int at = 0;
        while (at < mixed.length) {
            for (java.util.ArrayDeque<Integer> q : byClass) {
                if (!q.isEmpty()) {
                    mixed[at++] = q.poll();
                }
            }
        }
        return new CifarBatches(this, mixed);
    }

    /** The same images and batch size in their stored order, without augmentation. */
    public CifarBatches unaugmented() {
        return new CifarBatches(set, batchSize, seed, false, false, norm);
    }

    public int batchesPerEpoch() {
        return (set.size() + batchSize - 1) / batchSize;
    }

    public int size() {
        return set.size();
    }

    /** The example order of {@code epoch}: identity without shuffling, else a seeded permutation (see {@link EpochOrder}). */
    public int[] order(int epoch) {
        return fixedOrder != null ? fixedOrder : order.of(epoch);
    }

    /** Batch {@code index} of {@code epoch}. */
    public DataSet batch(int epoch, int index) {
        if (index < 0 || index >= batchesPerEpoch()) {
            throw new IndexOutOfBoundsException("batch " + index + " of " + batchesPerEpoch());
        }
        int[] perm = order(epoch);
        int from = index * batchSize;
        int n = Math.min(set.size(), from + batchSize) - from;
        int side = CifarSet.SIDE;
        int plane = side * side;
        float[] x = new float[n * CifarSet.PIXELS];
        float[] y = new float[n * CifarSet.CLASSES];
        byte[] pixels = set.pixels();
        float[] scale = new float[3];
        float[] shift = new float[3];
        for (int c = 0; c < 3; c++) {
            scale[c] = (float) (1 / (255 * norm.std()[c]));
            shift[c] = (float) (-norm.mean()[c] / norm.std()[c]);
        }
        for (int r = 0; r < n; r++) {
            int i = perm[from + r];
            int dx = 0;
            int dy = 0;
            boolean flip = false;
            if (augment) {
                SplittableRandom rnd = new SplittableRandom(seed * 0xBF58476D1CE4E5B9L + epoch * 0x94D049BB133111EBL + i);
                dx = rnd.nextInt(2 * PAD + 1) - PAD;
                dy = rnd.nextInt(2 * PAD + 1) - PAD;
                flip = rnd.nextBoolean();
            }
            int src = i * CifarSet.PIXELS;
            int dst = r * CifarSet.PIXELS;
            for (int c = 0; c < 3; c++) {
                for (int yy = 0; yy < side; yy++) {
                    int sy = yy + dy;
                    for (int xx = 0; xx < side; xx++) {
                        int sx = (flip ? side - 1 - xx : xx) + dx;
                        int v = sy < 0 || sy >= side || sx < 0 || sx >= side ? 0
                                : pixels[src + c * plane + sy * side + sx] & 0xff;
                        x[dst + c * plane + yy * side + xx] = v * scale[c] + shift[c];
                    }
                }
            }
            y[r * CifarSet.CLASSES + set.label(i)] = 1f;
        }
        INDArray features = Nd4j.create(x, new long[]{n, 3, side, side}, DataType.FLOAT);
        INDArray labels = Nd4j.create(y, new long[]{n, CifarSet.CLASSES}, DataType.FLOAT);
        return new DataSet(features, labels);
    }

    /** The batch of global step {@code step}. */
    public DataSet batchForStep(long step) {
        int per = batchesPerEpoch();
        return batch((int) (step / per), (int) (step % per));
    }
}
