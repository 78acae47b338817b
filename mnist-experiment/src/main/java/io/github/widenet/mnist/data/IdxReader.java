package io.github.widenet.mnist.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads MNIST's IDX files, gzipped or not (recognised by the gzip magic bytes 1f 8b, not by the file name). Images:
 * big-endian int32 magic 2051, count, rows, cols, then count·rows·cols unsigned bytes. Labels: magic 2049, count, then
 * count bytes in 0..9. Every inconsistency is an {@link MnistFormatException} naming the file.
 */
public final class IdxReader {

    static final int IMAGES_MAGIC = 2051;
    static final int LABELS_MAGIC = 2049;

    private IdxReader() {
    }

    /** Reads a pair of image and label files into one set, checking that they agree. */
    public static MnistSet read(Path images, Path labels) throws IOException {
        try (InputStream in = Files.newInputStream(images); InputStream lab = Files.newInputStream(labels)) {
            return read(in, images.getFileName().toString(), lab, labels.getFileName().toString());
        }
    }

    /** Reads from streams; the names are used in error messages. */
    public static MnistSet read(InputStream images, String imagesName, InputStream labels, String labelsName)
            throws IOException {
        Images img = readImages(images, imagesName);
        byte[] lab = readLabels(labels, labelsName);
        if (lab.length != img.count) {
            throw new MnistFormatException(labelsName + ": " + lab.length + " labels but " + imagesName + " has "
                    + img.count + " images");
        }
        return new MnistSet(img.pixels, lab, img.count, img.rows, img.cols);
    }

    private record Images(byte[] pixels, int count, int rows, int cols) {
    }

    private static Images readImages(InputStream raw, String name) throws IOException {
        DataInputStream in = open(raw, name);
        int magic = header(in, name, "magic number");
        if (magic != IMAGES_MAGIC) {
            throw new MnistFormatException(name + ": expected magic " + IMAGES_MAGIC + " (IDX images), found " + magic
                    + (magic == LABELS_MAGIC ? " (an IDX labels file)" : ""));
        }
        int count = header(in, name, "image count");
        int rows = header(in, name, "row count");
        int cols = header(in, name, "column count");
        if (count < 0 || rows != 28 || cols != 28) {
            throw new MnistFormatException(name + ": expected 28x28 images and a non-negative count, found count="
                    + count + ", " + rows + "x" + cols);
        }
        byte[] pixels = new byte[Math.multiplyExact(count, rows * cols)];
        readFully(in, pixels, name, "pixels of " + count + " images");
        expectEnd(in, name);
        return new Images(pixels, count, rows, cols);
    }

    private static byte[] readLabels(InputStream raw, String name) throws IOException {
        DataInputStream in = open(raw, name);
        int magic = header(in, name, "magic number");
        if (magic != LABELS_MAGIC) {
            throw new MnistFormatException(name + ": expected magic " + LABELS_MAGIC + " (IDX labels), found " + magic
                    + (magic == IMAGES_MAGIC ? " (an IDX images file)" : ""));
        }
        int count = header(in, name, "label count");
        if (count < 0) {
            throw new MnistFormatException(name + ": negative label count " + count);
        }
        byte[] labels = new byte[count];
        readFully(in, labels, name, count + " labels");
        for (int i = 0; i < count; i++) {
            if (labels[i] < 0 || labels[i] > 9) {
                throw new MnistFormatException(name + ": label " + (labels[i] & 0xff) + " at index " + i
                        + " is outside 0..9");
            }
        }
        expectEnd(in, name);
        return labels;
    }

    private static DataInputStream open(InputStream raw, String name) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                // no buffer above the inflater: each read returns exactly what was decompressed, so a truncated
                // stream's error can say how many bytes were really read (a buffer would drop the last chunk's count)
                return new DataInputStream(new GZIPInputStream(in, 1 << 16));
            } catch (IOException e) {
                throw new MnistFormatException(name + ": corrupt gzip header (" + e.getMessage() + ")", e);
            }
        }
        return new DataInputStream(in);
    }

    private static int header(DataInputStream in, String name, String what) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new MnistFormatException(name + ": file ends inside the header (reading the " + what + ")", e);
        }
    }

    private static void readFully(DataInputStream in, byte[] target, String name, String what) throws IOException {
        int off = 0;
        try {
            while (off < target.length) {
                int n = in.read(target, off, target.length - off);
                if (n < 0) {
                    break;
                }
                off += n;
            }
        } catch (java.util.zip.ZipException | EOFException e) {
            throw new MnistFormatException(name + ": corrupt or truncated gzip data after " + off + " of "
                    + target.length + " bytes of " + what + " (" + e.getMessage() + ")", e);
        }
        if (off < target.length) {
            throw new MnistFormatException(name + ": truncated: read " + off + " of " + target.length + " bytes of "
                    + what);
        }
    }

    private static void expectEnd(DataInputStream in, String name) throws IOException {
        int extra = 0;
        try {
            while (in.read() >= 0) {
                extra++;
            }
        } catch (java.util.zip.ZipException | EOFException e) {
            throw new MnistFormatException(name + ": corrupt gzip data at the end of the file (" + e.getMessage() + ")", e);
        }
        if (extra > 0) {
            throw new MnistFormatException(name + ": " + extra + " unexpected bytes after the data declared in the header");
        }
    }
}
