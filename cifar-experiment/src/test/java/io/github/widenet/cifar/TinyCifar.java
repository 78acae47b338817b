package io.github.widenet.cifar;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** A tiny CIFAR-10 in the official binary format, for tests here and in modules that use this module's test jar. */
public final class TinyCifar {

    private TinyCifar() {
    }

    /** Official-format batches whose class shows in the mean brightness of one channel (learnable, random otherwise): 120 training and 40 test images in {@code dir/cifar-10-batches-bin}. */
    public static Path data(Path dir) throws IOException {
        Path d = Files.createDirectories(dir.resolve("cifar-10-batches-bin"));
        Files.write(d.resolve("data_batch_1.bin"), records(120, 1));
        Files.write(d.resolve("test_batch.bin"), records(40, 2));
        return d;
    }

    private static byte[] records(int n, long seed) {
        Random r = new Random(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            int label = i % 10;
            out.write(label);
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < 1024; p++) {
                    int base = c == label % 3 ? 20 * label : 100;
                    out.write(Math.max(0, Math.min(255, base + r.nextInt(60))));
                }
            }
        }
        return out.toByteArray();
    }
}
