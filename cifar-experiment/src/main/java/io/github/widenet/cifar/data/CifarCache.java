package io.github.widenet.cifar.data;

import io.github.widenet.train.AtomicFile;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * A compact tensor file of decoded CIFAR-10 (train and test: uint8 CHW pixels and labels) so decoding 60,000 JPEGs happens
 * once. The file name is derived from a fingerprint of the source (path, format, number, sizes and modification times of
 * its files), so a changed source is decoded again; the content carries a CRC32, and a corrupt cache is ignored (and
 * rewritten) with a warning rather than failing the run.
 */
public final class CifarCache {

    private static final int MAGIC = 0x43494652;     // "CIFR"
    private static final int VERSION = 1;

    private final Path dir;

    public CifarCache(Path dir) {
        this.dir = dir;
    }

    /** The default cache directory, {@code ~/.cache/widenet/cifar10}. */
    public static Path defaultDirectory() {
        return Path.of(System.getProperty("user.home"), ".cache", "widenet", "cifar10");
    }

    public Path directory() {
        return dir;
    }

    Path file(String fingerprint) {
        return dir.resolve("cifar10-" + fingerprint + ".bin");
    }

    /** The cached {train, test}, or null when absent or unreadable. */
    public CifarSet[] load(String fingerprint) {
        Path f = file(fingerprint);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(f), 1 << 20))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new IOException("not a widenet CIFAR cache file");
            }
            String source = in.readUTF();
            CRC32 crc = new CRC32();
            CifarSet train = readSet(in, crc);
            CifarSet test = readSet(in, crc);
            if (in.readLong() != crc.getValue()) {
                throw new IOException("checksum mismatch");
            }
            if (!source.equals(fingerprint)) {
                throw new IOException("fingerprint mismatch");
            }
            return new CifarSet[]{train, test};
        } catch (IOException | RuntimeException e) {
            System.err.println("widenet: ignoring corrupt CIFAR-10 cache " + f + " (" + e.getMessage()
                    + "); decoding the source again");
            return null;
        }
    }

    private static CifarSet readSet(DataInputStream in, CRC32 crc) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 10_000_000) {
            throw new IOException("bad record count " + n);
        }
        byte[] labels = new byte[n];
        byte[] pixels = new byte[n * CifarSet.PIXELS];
        in.readFully(labels);
        in.readFully(pixels);
        crc.update(labels);
        crc.update(pixels);
        return new CifarSet(pixels, labels);
    }

    /** Writes the cache file atomically. */
    public void store(String fingerprint, CifarSet train, CifarSet test) throws IOException {
        AtomicFile.write(file(fingerprint), stream -> {
            CRC32 crc = new CRC32();
            DataOutputStream out = new DataOutputStream(stream);
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(fingerprint);
            for (CifarSet s : new CifarSet[]{train, test}) {
                out.writeInt(s.size());
                out.write(s.labels());
                out.write(s.pixels());
                crc.update(s.labels());
                crc.update(s.pixels());
            }
            out.writeLong(crc.getValue());
            out.flush();
        });
    }
}
