package io.github.widenet.mnist.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * MNIST images and labels in memory, compactly (one unsigned byte per pixel and per label). Turned into DL4J data as
 * features x = pixel/255 ∈ [0, 1], shape [n, rows·cols], and one-hot labels [n, 10].
 */
public final class MnistSet {

    public static final int CLASSES = 10;
    /** Images in the official training and test files. */
    public static final int OFFICIAL_TRAIN = 60_000;
    public static final int OFFICIAL_TEST = 10_000;

    private final byte[] pixels;
    private final byte[] labels;
    private final int count;
    private final int rows;
    private final int cols;

    MnistSet(byte[] pixels, byte[] labels, int count, int rows, int cols) {
        this.pixels = pixels;
        this.labels = labels;
        this.count = count;
        this.rows = rows;
        this.cols = cols;
    }

    /** CRC32 of the labels and pixels (identifies the data a run used). */
    public long checksum() {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(labels, 0, count);
        crc.update(pixels, 0, count * rows * cols);
        return crc.getValue();
    }

    public int size() {
        return count;
    }

    public int features() {
        return rows * cols;
    }

    public int label(int i) {
        return labels[i];
    }

    /** Pixel {@code j} of image {@code i}, 0..255. */
    public int pixel(int i, int j) {
        return pixels[i * features() + j] & 0xff;
    }

    /** The first {@code n} examples (the whole set if n ≥ size). */
    public MnistSet first(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("subset size must be >= 1, got " + n);
        }
        if (n >= count) {
            return this;
        }
        byte[] p = java.util.Arrays.copyOf(pixels, n * features());
        byte[] l = java.util.Arrays.copyOf(labels, n);
        return new MnistSet(p, l, n, rows, cols);
    }

    /** Number of examples of each class 0..9. */
    public int[] classCounts() {
        int[] c = new int[CLASSES];
        for (int i = 0; i < count; i++) {
            c[labels[i]]++;
        }
        return c;
    }

    /** The examples {@code order[from..to)} as a DataSet (float features in [0, 1], one-hot labels). */
    public DataSet dataSet(int[] order, int from, int to) {
        int n = to - from;
        int d = features();
        float[] x = new float[n * d];
        float[] y = new float[n * CLASSES];
        for (int r = 0; r < n; r++) {
            int i = order[from + r];
            int base = i * d;
            for (int j = 0; j < d; j++) {
                x[r * d + j] = (pixels[base + j] & 0xff) / 255f;
            }
            y[r * CLASSES + labels[i]] = 1f;
        }
        INDArray features = Nd4j.create(x, new long[]{n, d}, DataType.FLOAT);
        INDArray oneHot = Nd4j.create(y, new long[]{n, CLASSES}, DataType.FLOAT);
        return new DataSet(features, oneHot);
    }
}
