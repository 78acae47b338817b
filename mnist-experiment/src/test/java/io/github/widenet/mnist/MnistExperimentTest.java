package io.github.widenet.mnist;

import io.github.widenet.mnist.data.MnistLocator;
import io.github.widenet.report.CsvTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The experiment end to end on a tiny configuration, and an interrupted run resumed to the same numbers. */
class MnistExperimentTest {

    private static final String[] FILES = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

    /** A data directory holding the embedded real subset, so the test never depends on the environment. */
    private static Path data(Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("data"));
        for (String f : FILES) {
            try (InputStream in = MnistLocator.class.getResourceAsStream("/io/github/widenet/mnist/embedded/" + f + ".gz")) {
                Files.copy(in, dir.resolve(f + ".gz"));
            }
        }
        return dir;
    }

    private static int run(ByteArrayOutputStream log, String... args) {
        MnistExperiment e = new MnistExperiment().withLog(new PrintStream(log, true, StandardCharsets.UTF_8));
        return MnistExperiment.commandLine(e).execute(args);
    }

    private static String[] tiny(Path data, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("--widths", "40,20", "--steps", "12", "--batch-size", "50",
                "--train-subset", "500", "--test-subset", "200", "--snapshots", "3", "--bins", "12", "--eta", "0.5",
                "--data-dir", data.toString(), "--out", out.toString()));
        a.addAll(Arrays.asList(extra));
        return a.toArray(new String[0]);
    }

    /**
     * --seeds: each seed is the same run as --seed alone (in seed-<s>/), and the across-seeds table is the mean of the
     * seeds' own W1 values with its t-interval.
     */
    @Test
    void seedsRunEachSeedAndReportTheMeanWithAnInterval(@TempDir Path tmp) throws Exception {
        Path data = data(tmp);
        Path multi = tmp.resolve("multi");
        Path single = tmp.resolve("single");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        assertEquals(0, run(log, tiny(data, multi, "--seeds", "1,2", "--scalings", "mean-field")),
                log.toString(StandardCharsets.UTF_8));
        assertEquals(0, run(log, tiny(data, single, "--seed", "2", "--scalings", "mean-field")));
        assertEquals(Files.readString(single.resolve("w1.csv")), Files.readString(multi.resolve("seed-2/w1.csv")));
        CsvTable across = CsvTable.read(multi.resolve("w1_across_seeds.csv"));
        CsvTable[] seeds = {CsvTable.read(multi.resolve("seed-1/w1.csv")), CsvTable.read(multi.resolve("seed-2/w1.csv"))};
        int checked = 0;
        for (int r = 0; r < across.size(); r++) {
            double[] v = new double[2];
            for (int s = 0; s < 2; s++) {
                for (int k = 0; k < seeds[s].size(); k++) {
                    if (seeds[s].get(k, "quantity").equals(across.get(r, "quantity"))
                            && seeds[s].get(k, "width").equals(across.get(r, "width"))
                            && seeds[s].get(k, "step").equals("12")) {
                        v[s] = Double.parseDouble(seeds[s].get(k, "w1_exact_to_largest"));
                    }
                }
            }
            double mean = (v[0] + v[1]) / 2;
            double half = 12.7062 * Math.abs(v[0] - v[1]) / Math.sqrt(2) / Math.sqrt(2);   // t_{0.975, 1}·sd/√2
            assertEquals(mean, Double.parseDouble(across.get(r, "w1_end_mean")), 1e-12);
            assertEquals(mean + half, Double.parseDouble(across.get(r, "w1_end_hi95")), 1e-6 * Math.max(1, half));
            checked++;
        }
        assertEquals(2, checked, "c and wnorm at the smaller width");
        String report = Files.readString(multi.resolve("report.md"));
        assertTrue(report.contains("mean over 2 seeds of W1 to N = 40 — N = 20: "), report);
        assertTrue(Files.exists(multi.resolve("plots/w1-to-largest-across-seeds.png")));
    }

    /** A --seeds run stopped inside seed 1 (its checkpoints in seed-1/) resumes to the uninterrupted run's numbers. */
    @Test
    void aStoppedSeedsRunResumesToTheSameNumbers(@TempDir Path tmp) throws Exception {
        Path data = data(tmp);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Path whole = tmp.resolve("whole");
        assertEquals(0, run(log, tiny(data, whole, "--seeds", "1,2", "--scalings", "mean-field")));
        Path run = tmp.resolve("run");
        assertEquals(3, run(log, tiny(data, run, "--seeds", "1,2", "--scalings", "mean-field",
                "--stop-after-steps", "18", "--checkpoint-minutes", "0")));
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        assertEquals(0, run(again, tiny(data, run, "--seeds", "1,2", "--scalings", "mean-field", "--resume")),
                again.toString(StandardCharsets.UTF_8));
        assertTrue(again.toString(StandardCharsets.UTF_8).contains("resuming at step 6"),
                again.toString(StandardCharsets.UTF_8));
        assertEquals(Files.readString(whole.resolve("w1_across_seeds.csv")),
                Files.readString(run.resolve("w1_across_seeds.csv")));
        ByteArrayOutputStream fresh = new ByteArrayOutputStream();
        assertEquals(2, run(fresh, tiny(data, run, "--seeds", "1,2", "--scalings", "mean-field")),
                "a new run into a finished multi-seed run is refused without --resume or --overwrite");
    }

    @Test
    void tinyRunWritesConsistentOutputs(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        assertEquals(0, run(log, tiny(data(tmp), out)));
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("test accuracy") && text.contains("to largest") && text.contains("unit moved"), text);

        CsvTable results = CsvTable.read(out.resolve("results.csv"));
        assertEquals(4, results.size(), "2 scalings x 2 widths");
        for (int r = 0; r < results.size(); r++) {
            double acc = Double.parseDouble(results.get(r, "test_accuracy"));
            assertTrue(acc >= 0 && acc <= 1, "accuracy " + acc);
            assertTrue(Double.parseDouble(results.get(r, "seconds_per_step")) > 0);
        }

        // every histogram's counts sum to the number of values: N per unit quantity, N·10 for pooled c
        CsvTable hist = CsvTable.read(out.resolve("histograms.csv"));
        Map<String, Long> sums = new HashMap<>();
        for (int r = 0; r < hist.size(); r++) {
            String key = hist.get(r, "scaling") + "/" + hist.get(r, "quantity") + "/" + hist.get(r, "step") + "/"
                    + hist.get(r, "width");
            sums.merge(key, Long.parseLong(hist.get(r, "count")), Long::sum);
        }
        assertEquals(2 * 13 * 3 * 2, sums.size(), "scalings x quantities x snapshots x widths");
        for (Map.Entry<String, Long> e : sums.entrySet()) {
            String[] k = e.getKey().split("/");
            long n = Long.parseLong(k[3]) * (k[1].equals("c") ? 10 : 1);
            assertEquals(n, e.getValue(), e.getKey());
        }

        CsvTable w1 = CsvTable.read(out.resolve("w1.csv"));
        for (int r = 0; r < w1.size(); r++) {
            double d = Double.parseDouble(w1.get(r, "w1_hist_to_largest"));
            assertTrue(d >= 0 && Double.isFinite(d));
            if (w1.get(r, "width").equals("40")) {
                assertEquals(0.0, d, 0.0, "the largest width is at distance 0 from itself");
            }
            if (w1.get(r, "step").equals("0")) {
                assertEquals(0.0, Double.parseDouble(w1.get(r, "w1_exact_from_init")), 0.0);
            }
        }

        JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
        assertEquals("EXPLICIT_DIR", manifest.get("data").get("kind").asText());
        assertEquals(12, manifest.get("options").get("steps").asInt());
        assertTrue(manifest.get("wallTimeSeconds").asDouble() > 0);
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("![mean-field-c.png](plots/mean-field-c.png)"), report);
        // the floor sentences follow the numbers in w1.csv and sampling_floor.csv
        CsvTable floors = CsvTable.read(out.resolve("sampling_floor.csv"));
        // the verdicts recomputed from the CSVs: exceeds only above the floor's 97.5 % bound, and only when the initial
        // units (which differ by sampling alone) are not above it
        for (String scaling : List.of("mean-field", "ntk")) {
            for (String q : List.of("c", "wnorm")) {
                for (int r = 0; r < floors.size(); r++) {
                    String width = floors.get(r, "width");
                    if (!floors.get(r, "scaling").equals(scaling) || !floors.get(r, "quantity").equals(q)
                            || width.equals("40")) {
                        continue;
                    }
                    double bound = Double.parseDouble(floors.get(r, "floor_bound975"));
                    assertTrue(Double.parseDouble(floors.get(r, "sampling_floor")) > 0, "floor of " + q);
                    assertTrue(Integer.parseInt(floors.get(r, "draws")) >= 30, "draws");
                    double end = Double.NaN;
                    double start = Double.NaN;
                    for (int k = 0; k < w1.size(); k++) {
                        if (w1.get(k, "scaling").equals(scaling) && w1.get(k, "quantity").equals(q)
                                && w1.get(k, "width").equals(width)) {
                            double v = Double.parseDouble(w1.get(k, "w1_exact_to_largest"));
                            if (w1.get(k, "step").equals("12")) {
                                end = v;
                            } else if (w1.get(k, "step").equals("0")) {
                                start = v;
                            }
                        }
                    }
                    String words = start > bound ? "not decided" : end > bound ? "exceeds the sampling floor"
                            : "within the sampling floor";
                    assertTrue(report.contains(scaling + ", " + UnitSnapshot.axisLabel(q) + ", W1 to N = 40 — ")
                            && report.contains("N = " + width + ": " + words), scaling + " " + q + " " + words
                            + "\n" + report);
                }
            }
        }
        for (String png : List.of("mean-field-c.png", "ntk-wnorm.png", "mean-field-c-per-class.png",
                "ntk-w1-to-largest.png", "movement-from-init.png")) {
            assertNotNull(ImageIO.read(out.resolve("plots").resolve(png).toFile()), png);
        }
    }

    @Test
    void interruptedRunResumesToTheSameNumbers(@TempDir Path tmp) throws Exception {
        Path data = data(tmp);
        Path straight = tmp.resolve("straight");
        Path interrupted = tmp.resolve("interrupted");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        assertEquals(0, run(log, tiny(data, straight, "--scalings", "mean-field")));
        // killed after 17 steps (inside the second width), checkpointing at every step
        assertEquals(3, run(log, tiny(data, interrupted, "--scalings", "mean-field", "--stop-after-steps", "17",
                "--checkpoint-minutes", "0")));
        assertTrue(Files.exists(interrupted.resolve("checkpoints")));
        // a plain rerun refuses to clobber the previous run
        assertEquals(2, run(log, tiny(data, interrupted, "--scalings", "mean-field")));
        assertEquals(0, run(log, tiny(data, interrupted, "--scalings", "mean-field", "--resume")));

        CsvTable a = CsvTable.read(straight.resolve("results.csv"));
        CsvTable b = CsvTable.read(interrupted.resolve("results.csv"));
        for (int r = 0; r < a.size(); r++) {
            assertEquals(a.get(r, "test_accuracy"), b.get(r, "test_accuracy"));
            assertEquals(a.get(r, "final_train_loss"), b.get(r, "final_train_loss"));
        }
        for (String f : List.of("mean-field-m20-step12.units", "mean-field-m40-step12.units")) {
            UnitSnapshot x = UnitSnapshot.read(straight.resolve("snapshots").resolve(f));
            UnitSnapshot y = UnitSnapshot.read(interrupted.resolve("snapshots").resolve(f));
            assertArrayEquals(x.c(), y.c(), f);
            assertArrayEquals(x.wNorm(), y.wNorm(), f);
            assertArrayEquals(x.b(), y.b(), f);
        }
    }
}
