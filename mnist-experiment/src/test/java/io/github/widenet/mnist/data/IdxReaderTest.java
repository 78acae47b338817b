package io.github.widenet.mnist.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class IdxReaderTest {

    @Test
    void realOfficialFiles() throws IOException {
        assumeTrue(SharedData.mnist().isPresent(), "../shared/data/mnist not present");
        Path dir = SharedData.mnist().get();
        MnistSet train = IdxReader.read(dir.resolve("train-images-idx3-ubyte.gz"), dir.resolve("train-labels-idx1-ubyte.gz"));
        MnistSet test = IdxReader.read(dir.resolve("t10k-images-idx3-ubyte.gz"), dir.resolve("t10k-labels-idx1-ubyte.gz"));
        assertEquals(60_000, train.size());
        assertEquals(10_000, test.size());
        assertArrayEquals(new int[]{5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}, train.classCounts());
        int[] first = new int[10];
        for (int i = 0; i < 10; i++) {
            first[i] = train.label(i);
        }
        assertArrayEquals(new int[]{5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, first);
        int max = 0;
        for (int j = 0; j < 784; j++) {
            max = Math.max(max, train.pixel(0, j));
        }
        assertEquals(255, max);
        float[] x = train.dataSet(new int[]{0}, 0, 1).getFeatures().toFloatVector();
        assertEquals(784, x.length);
        float lo = 1, hi = 0;
        for (float v : x) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        assertEquals(0f, lo);
        assertEquals(1f, hi, "pixel 255 maps to 1");
    }

    @Test
    void embeddedSubsetIsTheStartOfTheOfficialFiles() throws IOException {
        MnistSource embedded = MnistLocator.embedded();
        assertEquals(10_000, embedded.train().size());
        assertEquals(2_000, embedded.test().size());
        int[] first = new int[10];
        for (int i = 0; i < 10; i++) {
            first[i] = embedded.train().label(i);
        }
        assertArrayEquals(new int[]{5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, first);
        if (SharedData.mnist().isPresent()) {
            Path dir = SharedData.mnist().get();
            MnistSet full = IdxReader.read(dir.resolve("t10k-images-idx3-ubyte.gz"), dir.resolve("t10k-labels-idx1-ubyte.gz"));
            for (int i : new int[]{0, 1, 999, 1999}) {
                assertEquals(full.label(i), embedded.test().label(i));
                for (int j = 0; j < 784; j += 7) {
                    assertEquals(full.pixel(i, j), embedded.test().pixel(i, j));
                }
            }
        }
    }

    // ---- generated files ----

    private static byte[] images(int magic, int count, int rows, int cols, int pixelBytes) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeInt(magic);
        d.writeInt(count);
        d.writeInt(rows);
        d.writeInt(cols);
        for (int i = 0; i < pixelBytes; i++) {
            d.writeByte(i % 256);
        }
        return b.toByteArray();
    }

    private static byte[] labels(int magic, int count, int... values) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeInt(magic);
        d.writeInt(count);
        for (int v : values) {
            d.writeByte(v);
        }
        return b.toByteArray();
    }

    private static Path write(Path dir, String name, byte[] data, boolean gzip) throws IOException {
        Path f = dir.resolve(name);
        try (OutputStream os = Files.newOutputStream(f);
             OutputStream out = gzip ? new GZIPOutputStream(os) : os) {
            out.write(data);
        }
        return f;
    }

    private static String error(Path dir, byte[] img, byte[] lab, boolean gzip) throws IOException {
        Path i = write(dir, "img-idx3-ubyte" + (gzip ? ".gz" : ""), img, gzip);
        Path l = write(dir, "lab-idx1-ubyte" + (gzip ? ".gz" : ""), lab, gzip);
        return assertThrows(MnistFormatException.class, () -> IdxReader.read(i, l)).getMessage();
    }

    @Test
    void validGeneratedFilesGzippedOrNot(@TempDir Path dir) throws IOException {
        for (boolean gz : new boolean[]{false, true}) {
            Path i = write(dir, "i" + gz, images(2051, 2, 28, 28, 2 * 784), gz);
            Path l = write(dir, "l" + gz, labels(2049, 2, 3, 9), gz);
            MnistSet s = IdxReader.read(i, l);
            assertEquals(2, s.size());
            assertEquals(9, s.label(1));
            assertEquals(784 % 256, s.pixel(1, 0));
        }
    }

    @Test
    void wrongMagicNamesTheFile(@TempDir Path dir) throws IOException {
        String msg = error(dir, images(2051, 1, 28, 28, 784), labels(2051, 1, 0), true);
        assertTrue(msg.contains("lab-idx1-ubyte.gz") && msg.contains("expected magic 2049") && msg.contains("2051"), msg);
        msg = error(dir, labels(2049, 1, 0), labels(2049, 1, 0), false);
        assertTrue(msg.contains("img-idx3-ubyte") && msg.contains("expected magic 2051"), msg);
    }

    @Test
    void countMismatchTruncationAndBadLabels(@TempDir Path dir) throws IOException {
        String msg = error(dir, images(2051, 2, 28, 28, 2 * 784), labels(2049, 3, 1, 2, 3), true);
        assertTrue(msg.contains("3 labels but") && msg.contains("2 images"), msg);
        msg = error(dir, images(2051, 2, 28, 28, 784 + 100), labels(2049, 2, 1, 2), true);
        assertTrue(msg.contains("img-idx3-ubyte.gz") && msg.contains("truncated") && msg.contains("884 of 1568"), msg);
        msg = error(dir, images(2051, 2, 28, 28, 2 * 784), labels(2049, 2, 1, 12), false);
        assertTrue(msg.contains("label 12 at index 1"), msg);
        msg = error(dir, images(2051, 1, 32, 32, 1024), labels(2049, 1, 1), false);
        assertTrue(msg.contains("28x28") && msg.contains("32x32"), msg);
        msg = error(dir, images(2051, 1, 28, 28, 784 + 5), labels(2049, 1, 1), false);
        assertTrue(msg.contains("5 unexpected bytes"), msg);
    }

    @Test
    void garbageAndBrokenGzip(@TempDir Path dir) throws IOException {
        String msg = error(dir, "hello, not an IDX file".getBytes(), labels(2049, 1, 1), false);
        assertTrue(msg.contains("img-idx3-ubyte") && msg.contains("expected magic 2051"), msg);
        byte[] gz;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(images(2051, 1, 28, 28, 784));
        }
        gz = Arrays.copyOf(b.toByteArray(), b.size() / 2);      // cut the gzip stream in half
        Path i = dir.resolve("cut-images.gz");
        Files.write(i, gz);
        Path l = write(dir, "l.gz", labels(2049, 1, 1), true);
        msg = assertThrows(MnistFormatException.class, () -> IdxReader.read(i, l)).getMessage();
        assertTrue(msg.contains("cut-images.gz"), msg);
        Path tiny = dir.resolve("tiny");
        Files.write(tiny, new byte[]{0, 0});
        msg = assertThrows(MnistFormatException.class, () -> IdxReader.read(tiny, l)).getMessage();
        assertTrue(msg.contains("tiny: file ends inside the header"), msg);
    }

    /**
     * A gzip stream cut short: the message reports how many payload bytes were really decompressed before the cut. The
     * reference count comes from a raw {@link java.util.zip.Inflater} over the deflate data (after the 10-byte gzip
     * header), independent of the reader's stream stack.
     */
    @Test
    void truncatedGzipReportsTheBytesReallyDecompressed(@TempDir Path dir) throws Exception {
        int count = 200;
        byte[] raw = images(2051, count, 28, 28, 0);
        byte[] pixels = new byte[count * 784];
        new java.util.Random(5).nextBytes(pixels);             // incompressible: the cut lands inside the pixels
        byte[] all = Arrays.copyOf(raw, raw.length + pixels.length);
        System.arraycopy(pixels, 0, all, raw.length, pixels.length);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(all);
        }
        byte[] cut = Arrays.copyOf(b.toByteArray(), b.size() / 2);
        java.util.zip.Inflater inf = new java.util.zip.Inflater(true);
        inf.setInput(cut, 10, cut.length - 10);
        byte[] sink = new byte[1 << 16];
        long produced = 0;
        for (int n; (n = inf.inflate(sink)) > 0; ) {
            produced += n;
        }
        long expectedPixels = produced - 16;
        assertTrue(expectedPixels > 1000, "the cut must fall well inside the pixels: " + expectedPixels);

        Path i = dir.resolve("cut-images.gz");
        Files.write(i, cut);
        Path l = write(dir, "l.gz", labels(2049, 1, 1), true);
        String msg = assertThrows(MnistFormatException.class, () -> IdxReader.read(i, l)).getMessage();
        assertTrue(msg.contains("after " + expectedPixels + " of " + count * 784 + " bytes"), msg);
    }
}
