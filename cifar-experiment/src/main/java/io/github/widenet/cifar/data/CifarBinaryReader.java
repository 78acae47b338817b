package io.github.widenet.cifar.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * Reads CIFAR-10's official binary format: records of 1 label byte and 3072 pixel bytes (1024 R, 1024 G, 1024 B,
 * row-major 32×32). Accepts single .bin files, a directory of {@code data_batch*.bin} and {@code test_batch*.bin} files
 * (e.g. {@code cifar-10-batches-bin/}), and the {@code cifar-10-binary.tar.gz} archive read as a stream.
 */
public final class CifarBinaryReader {

    static final int RECORD = 1 + CifarSet.PIXELS;

    private CifarBinaryReader() {
    }

    /** One .bin file. */
    public static CifarSet read(Path file) throws IOException {
        return parse(Files.readAllBytes(file), file.getFileName().toString());
    }

    /** Records from bytes; {@code name} is used in error messages. */
    static CifarSet parse(byte[] bytes, String name) throws CifarFormatException {
        if (bytes.length == 0 || bytes.length % RECORD != 0) {
            throw new CifarFormatException(name + ": " + bytes.length + " bytes is not a whole number of " + RECORD
                    + "-byte records");
        }
        int n = bytes.length / RECORD;
        byte[] labels = new byte[n];
        byte[] pixels = new byte[n * CifarSet.PIXELS];
        for (int i = 0; i < n; i++) {
            int label = bytes[i * RECORD] & 0xff;
            if (label > 9) {
                throw new CifarFormatException(name + ": record " + i + " has label " + label + " (expected 0..9)");
            }
            labels[i] = (byte) label;
            System.arraycopy(bytes, i * RECORD + 1, pixels, i * CifarSet.PIXELS, CifarSet.PIXELS);
        }
        return new CifarSet(pixels, labels);
    }

    /** The training and test files of a directory: {@code data_batch*.bin} and {@code test_batch*.bin}, sorted by name. */
    public static CifarSet[] readDirectory(Path dir) throws IOException {
        List<Path> train = new ArrayList<>();
        List<Path> test = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String n = f.getFileName().toString();
                if (n.startsWith("data_batch") && n.endsWith(".bin")) {
                    train.add(f);
                } else if (n.startsWith("test_batch") && n.endsWith(".bin")) {
                    test.add(f);
                }
            }
        }
        if (train.isEmpty() || test.isEmpty()) {
            throw new CifarFormatException(dir + ": expected data_batch*.bin and test_batch*.bin files, found "
                    + train.size() + " training and " + test.size() + " test batches");
        }
        return new CifarSet[]{readAll(train), readAll(test)};
    }

    private static CifarSet readAll(List<Path> files) throws IOException {
        CifarSet[] parts = new CifarSet[files.size()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = read(files.get(i));
        }
        return CifarSet.concat(parts);
    }

    /** The official {@code cifar-10-binary.tar.gz}: data_batch_1..5.bin and test_batch.bin from inside the archive. */
    public static CifarSet[] readArchive(Path archive) throws IOException {
        TreeMap<String, byte[]> train = new TreeMap<>();
        TreeMap<String, byte[]> test = new TreeMap<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive), 1 << 16)) {
            byte[] header = new byte[512];
            while (readFully(in, header)) {
                if (isZero(header)) {
                    break;
                }
                String name = cString(header, 0, 100);
                long size = Long.parseLong(cString(header, 124, 12).trim().isEmpty() ? "0"
                        : cString(header, 124, 12).trim(), 8);
                byte type = header[156];
                byte[] data = readBytes(in, size, archive);
                skip(in, (512 - size % 512) % 512);
                String base = name.substring(name.lastIndexOf('/') + 1);
                if (type == '0' || type == 0) {
                    if (base.startsWith("data_batch") && base.endsWith(".bin")) {
                        train.put(base, data);
                    } else if (base.startsWith("test_batch") && base.endsWith(".bin")) {
                        test.put(base, data);
                    }
                }
            }
        } catch (java.util.zip.ZipException | NumberFormatException e) {
            throw new CifarFormatException(archive.getFileName() + ": not a valid tar.gz archive (" + e.getMessage() + ")", e);
        }
        if (train.isEmpty() || test.isEmpty()) {
            throw new CifarFormatException(archive.getFileName() + ": no data_batch*.bin / test_batch*.bin inside ("
                    + train.keySet() + test.keySet() + ")");
        }
        return new CifarSet[]{parseAll(train, archive), parseAll(test, archive)};
    }

    private static CifarSet parseAll(TreeMap<String, byte[]> files, Path archive) throws CifarFormatException {
        List<CifarSet> parts = new ArrayList<>();
        for (var e : files.entrySet()) {
            parts.add(parse(e.getValue(), archive.getFileName() + "!" + e.getKey()));
        }
        return CifarSet.concat(parts.toArray(new CifarSet[0]));
    }

    private static boolean readFully(InputStream in, byte[] b) throws IOException {
        int off = 0;
        while (off < b.length) {
            int n = in.read(b, off, b.length - off);
            if (n < 0) {
                return false;
            }
            off += n;
        }
        return true;
    }

    private static byte[] readBytes(InputStream in, long size, Path archive) throws IOException {
        if (size > Integer.MAX_VALUE) {
            throw new CifarFormatException(archive.getFileName() + ": entry of " + size + " bytes is too large");
        }
        byte[] b = new byte[(int) size];
        if (!readFully(in, b)) {
            throw new CifarFormatException(archive.getFileName() + ": archive ends inside an entry");
        }
        return b;
    }

    private static void skip(InputStream in, long n) throws IOException {
        while (n > 0) {
            long k = in.skip(n);
            if (k <= 0) {
                if (in.read() < 0) {
                    return;
                }
                k = 1;
            }
            n -= k;
        }
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Writes records in the official format (tests and tools). */
    static byte[] encode(CifarSet set) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(set.size() * RECORD);
        for (int i = 0; i < set.size(); i++) {
            out.write(set.label(i));
            out.write(set.pixels(), i * CifarSet.PIXELS, CifarSet.PIXELS);
        }
        return out.toByteArray();
    }
}
