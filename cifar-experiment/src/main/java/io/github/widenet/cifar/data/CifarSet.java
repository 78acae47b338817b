package io.github.widenet.cifar.data;

import java.util.Arrays;

/**
 * CIFAR-10 images in memory: one unsigned byte per pixel in the official layout (per image 1024 R, 1024 G, 1024 B values,
 * row-major 32×32, i.e. CHW) and one label 0..9 per image.
 */
public final class CifarSet {

    public static final int CLASSES = 10;
    public static final int SIDE = 32;
    public static final int PIXELS = 3 * SIDE * SIDE;
    public static final String[] CLASS_NAMES = {"airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
            "horse", "ship", "truck"};

    private final byte[] pixels;
    private final byte[] labels;

    public CifarSet(byte[] pixels, byte[] labels) {
        if (pixels.length != (long) labels.length * PIXELS) {
            throw new IllegalArgumentException(pixels.length + " pixel bytes do not hold " + labels.length + " images");
        }
        this.pixels = pixels;
        this.labels = labels;
    }

    /** CRC32 of the labels and pixels (identifies the data a run used). */
    public long checksum() {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(labels);
        crc.update(pixels);
        return crc.getValue();
    }

    public int size() {
        return labels.length;
    }

    public int label(int i) {
        return labels[i];
    }

    /** Pixel value 0..255 of image i, channel c (0 = R), row y, column x. */
    public int pixel(int i, int c, int y, int x) {
        return pixels[i * PIXELS + c * SIDE * SIDE + y * SIDE + x] & 0xff;
    }

    byte[] pixels() {
        return pixels;
    }

    byte[] labels() {
        return labels;
    }

    public int[] classCounts() {
        int[] c = new int[CLASSES];
        for (byte l : labels) {
            c[l]++;
        }
        return c;
    }

    /** Concatenation of several sets. */
    public static CifarSet concat(CifarSet... sets) {
        int n = 0;
        for (CifarSet s : sets) {
            n += s.size();
        }
        byte[] p = new byte[n * PIXELS];
        byte[] l = new byte[n];
        int at = 0;
        for (CifarSet s : sets) {
            System.arraycopy(s.pixels, 0, p, at * PIXELS, s.pixels.length);
            System.arraycopy(s.labels, 0, l, at, s.labels.length);
            at += s.size();
        }
        return new CifarSet(p, l);
    }

    /**
     * A class-balanced subset of n examples: the first ⌈n/10⌉ (then ⌊n/10⌋) examples of each class in file order, kept in
     * file order. Returns this set when n ≥ size.
     */
    public CifarSet balanced(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("subset size must be >= 1, got " + n);
        }
        if (n >= size()) {
            return this;
        }
        int[] quota = new int[CLASSES];
        for (int k = 0; k < CLASSES; k++) {
            quota[k] = n / CLASSES + (k < n % CLASSES ? 1 : 0);
        }
        int[] chosen = new int[n];
        int m = 0;
        for (int i = 0; i < size() && m < n; i++) {
            if (quota[labels[i]] > 0) {
                quota[labels[i]]--;
                chosen[m++] = i;
            }
        }
        return select(Arrays.copyOf(chosen, m));
    }

    /** The examples at the given indices, in that order. */
    public CifarSet select(int[] indices) {
        byte[] p = new byte[indices.length * PIXELS];
        byte[] l = new byte[indices.length];
        for (int j = 0; j < indices.length; j++) {
            System.arraycopy(pixels, indices[j] * PIXELS, p, j * PIXELS, PIXELS);
            l[j] = labels[indices[j]];
        }
        return new CifarSet(p, l);
    }
}
