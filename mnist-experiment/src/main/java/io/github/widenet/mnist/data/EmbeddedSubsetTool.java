package io.github.widenet.mnist.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Produces the embedded MNIST subset from the official files: the first {@code nTrain} training and {@code nTest} test
 * records, written as gzipped IDX files with a fixed gzip header (so the output is byte-stable), and prints their
 * SHA-256. Usage: {@code EmbeddedSubsetTool <official-dir> <out-dir> [nTrain nTest]}.
 */
public final class EmbeddedSubsetTool {

    private EmbeddedSubsetTool() {
    }

    public static void main(String[] args) throws Exception {
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int nTrain = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        int nTest = args.length > 3 ? Integer.parseInt(args[3]) : 2_000;
        Files.createDirectories(out);
        Path dir = MnistLocator.withFiles(in).orElseThrow(() -> new IOException("no MNIST files in " + in));
        MnistSource full = new MnistLocator(java.util.Map.of(), null).locate(java.util.Optional.of(dir), false);
        write(full.train().first(nTrain), out, "train");
        write(full.test().first(nTest), out, "t10k");
    }

    private static void write(MnistSet set, Path out, String prefix) throws Exception {
        ByteArrayOutputStream images = new ByteArrayOutputStream();
        DataOutputStream img = new DataOutputStream(images);
        img.writeInt(IdxReader.IMAGES_MAGIC);
        img.writeInt(set.size());
        img.writeInt(28);
        img.writeInt(28);
        ByteArrayOutputStream labels = new ByteArrayOutputStream();
        DataOutputStream lab = new DataOutputStream(labels);
        lab.writeInt(IdxReader.LABELS_MAGIC);
        lab.writeInt(set.size());
        for (int i = 0; i < set.size(); i++) {
            for (int j = 0; j < set.features(); j++) {
                img.writeByte(set.pixel(i, j));
            }
            lab.writeByte(set.label(i));
        }
        gzip(images.toByteArray(), out.resolve(prefix + "-images-idx3-ubyte.gz"));
        gzip(labels.toByteArray(), out.resolve(prefix + "-labels-idx1-ubyte.gz"));
    }

    private static void gzip(byte[] data, Path file) throws Exception {
        try (OutputStream os = Files.newOutputStream(file);
             GZIPOutputStream gz = new GZIPOutputStream(os) {
                 {
                     def.setLevel(Deflater.BEST_COMPRESSION);
                 }
             }) {
            gz.write(data);
        }
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        System.out.println(HexFormat.of().formatHex(sha) + "  " + file.getFileName());
    }
}
