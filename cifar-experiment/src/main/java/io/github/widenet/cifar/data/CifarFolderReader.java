package io.github.widenet.cifar.data;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Reads DL4J's CIFAR-10 image-folder layout: {@code <dir>/<class>/*.jpg|png} with the ten class folders named as in
 * {@link CifarSet#CLASS_NAMES} (the label is the folder), files in name order, each a 32×32 RGB image. Decoding uses all
 * cores.
 */
public final class CifarFolderReader {

    private CifarFolderReader() {
    }

    /**
     * Checks that {@code dir} holds exactly the ten class folders: a missing one, or an extra folder (which would be
     * silently ignored), is a {@link CifarFormatException} naming it.
     */
    public static void checkClassFolders(Path dir) throws IOException {
        java.util.Set<String> expected = new java.util.LinkedHashSet<>(List.of(CifarSet.CLASS_NAMES));
        for (String c : expected) {
            if (!Files.isDirectory(dir.resolve(c))) {
                throw new CifarFormatException(dir + ": missing class folder '" + c + "' (CIFAR-10 needs exactly "
                        + String.join(", ", expected) + ")");
            }
        }
        try (var s = Files.list(dir)) {
            for (Path p : s.filter(Files::isDirectory).sorted().toList()) {
                String name = p.getFileName().toString();
                if (!expected.contains(name)) {
                    throw new CifarFormatException(dir + ": unexpected folder '" + name + "' (not a CIFAR-10 class; "
                            + "the classes are " + String.join(", ", expected) + "): remove or move it");
                }
            }
        }
    }

    /** The image files in label then name order, with their labels. */
    static List<Path> files(Path dir, List<Integer> labels) throws IOException {
        checkClassFolders(dir);
        List<Path> out = new ArrayList<>();
        for (int k = 0; k < CifarSet.CLASSES; k++) {
            Path classDir = dir.resolve(CifarSet.CLASS_NAMES[k]);
            if (!Files.isDirectory(classDir)) {
                throw new CifarFormatException(dir + ": missing class folder '" + CifarSet.CLASS_NAMES[k] + "'");
            }
            try (var s = Files.list(classDir)) {
                for (Path f : s.filter(p -> {
                    String n = p.getFileName().toString().toLowerCase();
                    return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
                }).sorted().toList()) {
                    out.add(f);
                    labels.add(k);
                }
            }
        }
        return out;
    }

    /** Decodes every image under {@code dir} (e.g. {@code cifar10/train}). */
    public static CifarSet read(Path dir) throws IOException {
        List<Integer> labelList = new ArrayList<>();
        List<Path> files = files(dir, labelList);
        if (files.isEmpty()) {
            throw new CifarFormatException(dir + ": no .jpg or .png images in the class folders");
        }
        byte[] pixels = new byte[files.size() * CifarSet.PIXELS];
        byte[] labels = new byte[files.size()];
        try {
            IntStream.range(0, files.size()).parallel().forEach(i -> {
                labels[i] = (byte) (int) labelList.get(i);
                decode(files.get(i), pixels, i * CifarSet.PIXELS);
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return new CifarSet(pixels, labels);
    }

    private static void decode(Path file, byte[] into, int offset) {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(new CifarFormatException(file + ": unreadable image (" + e.getMessage() + ")", e));
        }
        if (img == null) {
            throw new UncheckedIOException(new CifarFormatException(file + ": not an image ImageIO can decode"));
        }
        if (img.getWidth() != CifarSet.SIDE || img.getHeight() != CifarSet.SIDE) {
            throw new UncheckedIOException(new CifarFormatException(file + ": " + img.getWidth() + "x" + img.getHeight()
                    + " image, expected 32x32"));
        }
        int plane = CifarSet.SIDE * CifarSet.SIDE;
        for (int y = 0; y < CifarSet.SIDE; y++) {
            for (int x = 0; x < CifarSet.SIDE; x++) {
                int rgb = img.getRGB(x, y);
                int p = y * CifarSet.SIDE + x;
                into[offset + p] = (byte) ((rgb >> 16) & 0xff);
                into[offset + plane + p] = (byte) ((rgb >> 8) & 0xff);
                into[offset + 2 * plane + p] = (byte) (rgb & 0xff);
            }
        }
    }
}
