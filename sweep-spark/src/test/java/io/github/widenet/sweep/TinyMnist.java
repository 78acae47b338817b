package io.github.widenet.sweep;

import io.github.widenet.mnist.MnistExperiment;
import io.github.widenet.mnist.UnitSnapshot;
import io.github.widenet.mnist.data.MnistLocator;
import io.github.widenet.report.CsvTable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tiny MNIST runs for the sweep tests: the embedded real subset as data, sequential reference runs, comparisons. */
final class TinyMnist {

    private static final String[] FILES = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

    /** What a run printed and returned. */
    record Outcome(int code, String out, String err) {
    }

    private TinyMnist() {
    }

    /** A data directory holding the embedded real subset (10k train / 2k test), independent of the environment. */
    static Path data(Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("data"));
        for (String f : FILES) {
            try (InputStream in = MnistLocator.class.getResourceAsStream("/io/github/widenet/mnist/embedded/" + f + ".gz")) {
                Files.copy(in, dir.resolve(f + ".gz"));
            }
        }
        return dir;
    }

    /** Experiment options of a tiny run: two widths, {@code steps} steps of batch 50 on 500 images. */
    static List<String> options(Path data, Path out, int steps, String... extra) {
        List<String> a = new ArrayList<>(List.of("--widths", "40,20", "--steps", String.valueOf(steps),
                "--batch-size", "50", "--train-subset", "500", "--test-subset", "200", "--snapshots", "3",
                "--bins", "12", "--eta", "0.5", "--data-dir", data.toString(), "--out", out.toString()));
        a.addAll(Arrays.asList(extra));
        return a;
    }

    /** The sequential experiment in this JVM. */
    static Outcome sequential(List<String> options) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        var cmd = MnistExperiment.commandLine(new MnistExperiment().withLog(new PrintStream(out, true,
                StandardCharsets.UTF_8)));
        cmd.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        int code = cmd.execute(options.toArray(String[]::new));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** {@code sweep mnist <options> <sweepArgs>} in this JVM. */
    static Outcome sweep(List<String> options, String... sweepArgs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of("mnist"));
        args.addAll(options);
        args.addAll(Arrays.asList(sweepArgs));
        int code = Sweep.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Asserts that two runs hold the same numbers: results.csv's accuracies and losses, w1.csv, histograms.csv and
     * sampling_floor.csv as text, and every unit snapshot bit for bit.
     */
    static void assertSameResults(Path expected, Path actual) throws IOException {
        CsvTable a = CsvTable.read(expected.resolve("results.csv"));
        CsvTable b = CsvTable.read(actual.resolve("results.csv"));
        assertEquals(a.size(), b.size());
        for (int r = 0; r < a.size(); r++) {
            for (String col : List.of("scaling", "width", "steps", "test_accuracy", "train_accuracy",
                    "final_train_loss")) {
                assertEquals(a.get(r, col), b.get(r, col), "results.csv row " + r + " " + col);
            }
        }
        for (String csv : List.of("w1.csv", "histograms.csv", "sampling_floor.csv")) {
            assertEquals(Files.readString(expected.resolve(csv)), Files.readString(actual.resolve(csv)), csv);
        }
        List<Path> snaps;
        try (Stream<Path> s = Files.list(expected.resolve("snapshots"))) {
            snaps = s.sorted().toList();
        }
        assertTrue(snaps.size() >= 4, "snapshots " + snaps);
        for (Path x : snaps) {
            Path y = actual.resolve("snapshots").resolve(x.getFileName());
            UnitSnapshot p = UnitSnapshot.read(x);
            UnitSnapshot q = UnitSnapshot.read(y);
            assertEquals(p.step(), q.step(), x.getFileName().toString());
            assertArrayEquals(p.c(), q.c(), x.getFileName().toString());
            assertArrayEquals(p.wNorm(), q.wNorm(), x.getFileName().toString());
            assertArrayEquals(p.b(), q.b(), x.getFileName().toString());
        }
        for (String f : List.of("report.md", "manifest.json", "plots/mean-field-c.png", "plots/ntk-wnorm.png")) {
            assertTrue(Files.size(actual.resolve(f)) > 0, f);
        }
    }
}
