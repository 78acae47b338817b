package io.github.widenet.cifar.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CifarReadersTest {

    private static int[] firstLabels(CifarSet s) {
        int[] out = new int[10];
        for (int i = 0; i < 10; i++) {
            out[i] = s.label(i);
        }
        return out;
    }

    @Test
    void officialBinarySubset() throws IOException {
        Optional<Path> dir = SharedCifar.dir("cifar-10-batches-bin-subset");
        assumeTrue(dir.isPresent(), "../shared/data/cifar-10-batches-bin-subset not present");
        CifarSet[] sets = CifarBinaryReader.readDirectory(dir.get());
        assertEquals(4000, sets[0].size());
        assertEquals(1000, sets[1].size());
        assertArrayEquals(new int[]{6, 9, 9, 4, 1, 1, 2, 7, 8, 3}, firstLabels(sets[0]));
        assertArrayEquals(new int[]{3, 8, 8, 0, 6, 6, 1, 6, 3, 1}, firstLabels(sets[1]));
    }

    @Test
    void jpegFolderImageIsCloseToTheExactBinaryPixels() throws IOException {
        Optional<Path> bin = SharedCifar.dir("cifar-10-batches-bin-subset");
        Optional<Path> jpg = SharedCifar.dir("cifar10");
        assumeTrue(bin.isPresent() && jpg.isPresent(), "shared CIFAR data not present");
        CifarSet exact = CifarBinaryReader.read(bin.get().resolve("data_batch_1_first4000.bin"));
        // record 0 is a frog, the first frog of the training file: train/frog/0000.jpg
        Path tmp = Files.createTempDirectory("cifar-one");
        for (String c : CifarSet.CLASS_NAMES) {
            Files.createDirectories(tmp.resolve(c));
        }
        Files.copy(jpg.get().resolve("train/frog/0000.jpg"), tmp.resolve("frog/0000.jpg"));
        CifarSet decoded = CifarFolderReader.read(tmp);
        assertEquals(1, decoded.size());
        assertEquals(6, decoded.label(0));
        double err = 0;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    err += Math.abs(decoded.pixel(0, c, y, x) - exact.pixel(0, c, y, x));
                }
            }
        }
        err /= 3 * 32 * 32;
        assertTrue(err < 15, "mean absolute pixel error " + err);
    }

    private static CifarSet synthetic(int n, int seed) {
        byte[] p = new byte[n * CifarSet.PIXELS];
        byte[] l = new byte[n];
        java.util.Random r = new java.util.Random(seed);
        r.nextBytes(p);
        for (int i = 0; i < n; i++) {
            l[i] = (byte) (i % 10);
        }
        return new CifarSet(p, l);
    }

    @Test
    void badRecordSizeAndLabelAreNamed(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("data_batch_1.bin");
        Files.write(f, new byte[3073 * 2 + 5]);
        CifarFormatException e = assertThrows(CifarFormatException.class, () -> CifarBinaryReader.read(f));
        assertTrue(e.getMessage().contains("data_batch_1.bin") && e.getMessage().contains("6151 bytes"), e.getMessage());
        byte[] bytes = CifarBinaryReader.encode(synthetic(3, 1));
        bytes[2 * 3073] = 12;
        Files.write(f, bytes);
        e = assertThrows(CifarFormatException.class, () -> CifarBinaryReader.read(f));
        assertTrue(e.getMessage().contains("record 2") && e.getMessage().contains("label 12"), e.getMessage());
    }

    /** Writes a tar.gz with the given files (a minimal ustar writer for the test). */
    private static void tarGz(Path archive, Map<String, byte[]> files) throws IOException {
        try (OutputStream os = new GZIPOutputStream(Files.newOutputStream(archive))) {
            for (var e : files.entrySet()) {
                byte[] h = new byte[512];
                byte[] name = e.getKey().getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(name, 0, h, 0, name.length);
                byte[] size = String.format("%011o", e.getValue().length).getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(size, 0, h, 124, size.length);
                h[156] = '0';
                os.write(h);
                os.write(e.getValue());
                os.write(new byte[(512 - e.getValue().length % 512) % 512]);
            }
            os.write(new byte[1024]);
        }
    }

    @Test
    void archiveAndDirectoryReadTheSameRecords(@TempDir Path dir) throws IOException {
        CifarSet a = synthetic(20, 1);
        CifarSet b = synthetic(7, 2);
        CifarSet t = synthetic(5, 3);
        Path batches = Files.createDirectories(dir.resolve("cifar-10-batches-bin"));
        Files.write(batches.resolve("data_batch_1.bin"), CifarBinaryReader.encode(a));
        Files.write(batches.resolve("data_batch_2.bin"), CifarBinaryReader.encode(b));
        Files.write(batches.resolve("test_batch.bin"), CifarBinaryReader.encode(t));
        tarGz(dir.resolve("cifar-10-binary.tar.gz"), Map.of(
                "cifar-10-batches-bin/data_batch_2.bin", CifarBinaryReader.encode(b),
                "cifar-10-batches-bin/batches.meta.txt", "airplane\n".getBytes(StandardCharsets.US_ASCII),
                "cifar-10-batches-bin/data_batch_1.bin", CifarBinaryReader.encode(a),
                "cifar-10-batches-bin/test_batch.bin", CifarBinaryReader.encode(t)));
        CifarSet[] fromDir = CifarBinaryReader.readDirectory(batches);
        CifarSet[] fromTar = CifarBinaryReader.readArchive(dir.resolve("cifar-10-binary.tar.gz"));
        assertEquals(27, fromDir[0].size());
        assertArrayEquals(fromDir[0].pixels(), fromTar[0].pixels());
        assertArrayEquals(fromDir[0].labels(), fromTar[0].labels());
        assertArrayEquals(t.pixels(), fromTar[1].pixels());
        Files.write(dir.resolve("broken.tar.gz"), new byte[]{1, 2, 3});
        assertThrows(IOException.class, () -> CifarBinaryReader.readArchive(dir.resolve("broken.tar.gz")));
    }

    private static void writePng(Path file, int seed, int size) throws IOException {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        java.util.Random r = new java.util.Random(seed);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                img.setRGB(x, y, r.nextInt(1 << 24));
            }
        }
        ImageIO.write(img, "png", file.toFile());
    }

    private static Path imageFolders(Path root) throws IOException {
        for (String split : new String[]{"train", "test"}) {
            for (int k = 0; k < 10; k++) {
                Path d = Files.createDirectories(root.resolve(split).resolve(CifarSet.CLASS_NAMES[k]));
                writePng(d.resolve("0000.png"), 100 * k + split.length(), 32);
                if (split.equals("train")) {
                    writePng(d.resolve("0001.png"), 100 * k + 7, 32);
                }
            }
        }
        return root;
    }

    @Test
    void folderReaderDecodesExactPixelsAndLabels(@TempDir Path dir) throws IOException {
        imageFolders(dir);
        CifarSet train = CifarFolderReader.read(dir.resolve("train"));
        assertEquals(20, train.size());
        assertEquals(3, train.label(6));      // bird 0000, bird 0001, cat 0000 ...: index 6 is cat/0000
        BufferedImage img = ImageIO.read(dir.resolve("train/cat/0000.png").toFile());
        int rgb = img.getRGB(5, 7);
        assertEquals((rgb >> 16) & 0xff, train.pixel(6, 0, 7, 5));
        assertEquals(rgb & 0xff, train.pixel(6, 2, 7, 5));

        writePng(dir.resolve("train/dog/0002.png"), 1, 31);
        CifarFormatException e = assertThrows(CifarFormatException.class, () -> CifarFolderReader.read(dir.resolve("train")));
        assertTrue(e.getMessage().contains("0002.png") && e.getMessage().contains("31x31"), e.getMessage());
        Files.write(dir.resolve("train/dog/0002.png"), "not an image".getBytes(StandardCharsets.US_ASCII));
        e = assertThrows(CifarFormatException.class, () -> CifarFolderReader.read(dir.resolve("train")));
        assertTrue(e.getMessage().contains("0002.png"), e.getMessage());
    }

    @Test
    void locatorOrderCacheAndInvalidation(@TempDir Path dir) throws IOException {
        Path folders = imageFolders(dir.resolve("data/cifar10"));
        Path batches = Files.createDirectories(dir.resolve("bin"));
        Files.write(batches.resolve("data_batch_1.bin"), CifarBinaryReader.encode(synthetic(30, 4)));
        Files.write(batches.resolve("test_batch.bin"), CifarBinaryReader.encode(synthetic(10, 5)));
        CifarCache cache = new CifarCache(dir.resolve("cache"));
        Map<String, String> env = Map.of(CifarLocator.ENV_DATA, dir.resolve("data").toString());

        CifarSource explicit = new CifarLocator(env, null, cache).locate(Optional.of(batches), false);
        assertEquals(CifarSource.Kind.EXPLICIT_DIR, explicit.kind());
        assertEquals(CifarSource.Format.BINARY_FILES, explicit.format());
        assertEquals("CIFAR-10", explicit.datasetName());

        CifarSource fromEnv = new CifarLocator(env, null, cache).locate(Optional.empty(), false);
        assertEquals(CifarSource.Kind.ENV, fromEnv.kind());
        assertEquals(CifarSource.Format.IMAGE_FOLDERS, fromEnv.format());
        assertEquals(20, fromEnv.train().size());
        assertTrue(!fromEnv.jpegReencoded(), "PNG folders are exact");

        // the second load comes from the cache file, which then survives corruption by being rewritten
        String fp = CifarLocator.fingerprint(new CifarLocator.Found(folders, CifarSource.Format.IMAGE_FOLDERS));
        assertNotNull(cache.load(fp));
        Files.write(cache.file(fp), new byte[]{1, 2, 3});
        assertNull(cache.load(fp));
        CifarSource again = new CifarLocator(env, null, cache).locate(Optional.empty(), false);
        assertArrayEquals(fromEnv.train().pixels(), again.train().pixels());
        assertNotNull(cache.load(fp));
        // a changed source gets a new fingerprint
        writePng(folders.resolve("train/ship/0005.png"), 9, 32);
        assertTrue(!fp.equals(CifarLocator.fingerprint(new CifarLocator.Found(folders, CifarSource.Format.IMAGE_FOLDERS))));
        assertEquals(21, new CifarLocator(env, null, cache).locate(Optional.empty(), false).train().size());

        IOException missing = assertThrows(IOException.class,
                () -> new CifarLocator(Map.of(), dir.resolve("nothing"), cache).locate(Optional.empty(), false));
        assertTrue(missing.getMessage().contains(CifarLocator.ENV_CIFAR) && missing.getMessage().contains("--data-dir"),
                missing.getMessage());
        assertThrows(IOException.class, () -> new CifarLocator(Map.of(), null, cache)
                .locate(Optional.of(dir.resolve("cache")), false));
    }

    @Test
    void extraOrMissingClassFolderIsNamed(@TempDir Path dir) throws IOException {
        Path root = imageFolders(dir.resolve("cifar10"));
        CifarCache cache = new CifarCache(dir.resolve("cache"));
        Path extra = Files.createDirectories(root.resolve("train/horses"));
        writePng(extra.resolve("0000.png"), 3, 32);
        IOException e = assertThrows(IOException.class,
                () -> new CifarLocator(Map.of(), null, cache).locate(Optional.of(root), false));
        assertTrue(e.getMessage().contains("horses") && e.getMessage().contains("train"), e.getMessage());
        Files.delete(extra.resolve("0000.png"));
        Files.delete(extra);
        Path cat = root.resolve("test/cat");
        Files.delete(cat.resolve("0000.png"));
        Files.delete(cat);
        e = assertThrows(IOException.class,
                () -> new CifarLocator(Map.of(), null, cache).locate(Optional.of(root), false));
        assertTrue(e.getMessage().contains("'cat'") && e.getMessage().contains("test"), e.getMessage());
    }

    @Test
    void unusableEnvironmentSettingIsAnError(@TempDir Path dir) throws IOException {
        Path mnistOnly = Files.createDirectories(dir.resolve("shared/mnist"));
        CifarCache cache = new CifarCache(dir.resolve("cache"));
        for (String var : new String[]{CifarLocator.ENV_CIFAR, CifarLocator.ENV_DATA}) {
            IOException e = assertThrows(IOException.class, () -> new CifarLocator(Map.of(var, mnistOnly.getParent()
                    .toString()), null, cache).locate(Optional.empty(), true));
            assertTrue(e.getMessage().contains(var) && e.getMessage().contains(mnistOnly.getParent().toString()),
                    e.getMessage());
        }
    }
}
