package io.github.widenet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The peer's figures, read from the output of {@code ../shared/peer/torch_bench.py} (PyTorch CPU on the same shapes),
 * e.g. "torch two-layer m=1000: 9706 examples/s" and "torch vgg11 width/4: 3789.0 images/s".
 */
public final class PeerResults {

    private static final Pattern TWO_LAYER = Pattern.compile("torch two-layer m=(\\d+): ([0-9.]+) examples/s");
    private static final Pattern VGG = Pattern.compile("torch vgg11 width/(\\d+)(?: batch (\\d+))?: ([0-9.]+) images/s");
    private static final Pattern SGEMM = Pattern.compile("torch sgemm 2048: ([0-9.]+) GFLOP/s");

    private final Map<Integer, Double> twoLayer = new HashMap<>();
    private final Map<String, Double> vgg = new HashMap<>();
    private double sgemm = Double.NaN;

    private PeerResults() {
    }

    /** Parses a peer output file; an unreadable file or one without figures is an {@link IOException} naming it. */
    public static PeerResults read(Path file) throws IOException {
        PeerResults p = new PeerResults();
        try {
            for (String line : Files.readAllLines(file)) {
                Matcher m = TWO_LAYER.matcher(line);
                if (m.find()) {
                    p.twoLayer.put(Integer.parseInt(m.group(1)), Double.parseDouble(m.group(2)));
                }
                m = VGG.matcher(line);
                if (m.find()) {
                    p.vgg.put(m.group(1) + "/" + (m.group(2) == null ? "64" : m.group(2)), Double.parseDouble(m.group(3)));
                }
                m = SGEMM.matcher(line);
                if (m.find()) {
                    p.sgemm = Double.parseDouble(m.group(1));
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new IOException("cannot read the peer results file " + file + ": " + e.getMessage(), e);
        }
        if (p.twoLayer.isEmpty() && p.vgg.isEmpty()) {
            throw new IOException("no 'torch two-layer' or 'torch vgg11' lines in the peer results file "
                    + file);
        }
        return p;
    }

    /** PyTorch's examples/s for the two-layer net of width m, or NaN. */
    public double twoLayer(int m) {
        return twoLayer.getOrDefault(m, Double.NaN);
    }

    /** PyTorch's training images/s for VGG-11 at a width divisor and batch size, or NaN. */
    public double vgg(int divisor, int batch) {
        return vgg.getOrDefault(divisor + "/" + batch, Double.NaN);
    }

    /** PyTorch's sgemm 2048² rate in GFLOP/s, or NaN. */
    public double sgemm() {
        return sgemm;
    }

    /** The command that produces the file. */
    public static String command() {
        return "/usr/bin/python3 ../shared/peer/torch_bench.py 2 > peer.txt   (after: apt-get install -y python3-torch "
                + "libopenblas0-pthread)";
    }
}
