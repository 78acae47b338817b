package io.github.widenet.cifar;

import io.github.widenet.report.CsvTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** All modes end to end on a tiny generated CIFAR-format dataset, and an interrupted run resumed to the same numbers. */
class CifarExperimentTest {

    /** Official-format batches whose class shows in one channel's mean brightness ({@link TinyCifar}). */
    static Path data(Path dir) throws IOException {
        return TinyCifar.data(dir);
    }

    private static int run(ByteArrayOutputStream log, String... args) {
        CifarExperiment e = new CifarExperiment().withLog(new PrintStream(log, true, StandardCharsets.UTF_8));
        return CifarExperiment.commandLine(e).execute(args);
    }

    private static String[] tiny(Path data, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("--width-divisor", "64", "--epochs", "2", "--batch-size", "32",
                "--alphas", "1,100", "--train-subset", "0", "--test-subset", "0", "--train-eval-subset", "60",
                "--lr", "0.005", "--augment", "--data-dir", data.toString(), "--out", out.toString()));
        a.addAll(Arrays.asList(extra));
        return a.toArray(new String[0]);
    }

    @Test
    void allModesRunAndWriteConsistentOutputs(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        assertEquals(0, run(log, tiny(data(tmp), out)), log.toString(StandardCharsets.UTF_8));
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("standard (alpha=1)") && text.contains("lazy alpha=100") && text.contains("linearized"),
                text);
        CsvTable results = CsvTable.read(out.resolve("results.csv"));
        assertEquals(3, results.size());
        for (int r = 0; r < results.size(); r++) {
            for (String col : List.of("train_accuracy", "test_accuracy", "relu_signs_kept",
                    "frozen_gates_test_accuracy")) {
                double v = Double.parseDouble(results.get(r, col));
                assertTrue(v >= 0 && v <= 1, col + " = " + v);
            }
            assertTrue(Double.parseDouble(results.get(r, "relative_param_change")) > 0);
        }
        // lazier: the alpha=100 model moves its parameters far less than the standard one
        assertTrue(Double.parseDouble(results.get(1, "relative_param_change"))
                < Double.parseDouble(results.get(0, "relative_param_change")) / 10);
        assertEquals(6, CsvTable.read(out.resolve("curves.csv")).size(), "3 modes x 2 epochs");
        JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
        assertEquals("CIFAR-10", manifest.get("data").get("dataset").asText());
        assertEquals(3, manifest.get("results").size());
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("| standard (alpha=1) |") && report.contains("plots/accuracy-vs-alpha.png"), report);
        for (String png : List.of("accuracy-vs-alpha.png", "test-accuracy-curves.png", "param-change-vs-alpha.png",
                "relu-stability-curves.png")) {
            assertNotNull(ImageIO.read(out.resolve("plots").resolve(png).toFile()), png);
        }
    }

    @Test
    void theOfficialRecipeRunsAndIsStated(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        assertEquals(0, run(log, tiny(data(tmp), out, "--loss", "mse", "--init", "xavier", "--momentum-type",
                "heavy-ball")), log.toString(StandardCharsets.UTF_8));
        CsvTable results = CsvTable.read(out.resolve("results.csv"));
        for (int r = 0; r < results.size(); r++) {
            double loss = Double.parseDouble(results.get(r, "test_loss"));
            // squared loss of outputs near 0 against one-hot targets: about 1/K = 0.1, never a log-loss value
            assertTrue(loss > 0.05 && loss < 0.3, "test loss " + loss);
        }
        JsonNode config = new ObjectMapper().readTree(out.resolve("manifest.json").toFile()).get("options");
        assertTrue(config.get("loss").asText().startsWith("squared loss on one-hot targets"), config.toString());
        assertTrue(config.get("momentum").asText().contains("heavy-ball"), config.toString());
        assertTrue(config.get("init").asText().startsWith("Xavier normal"), config.toString());
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("(1/alpha^2) (1/K) sum_k (alpha (h_k(w) - h_k(w0)) - y_k)^2")
                && report.contains("heavy-ball momentum 0.9"), report);
    }

    @Test
    void theAlphaSweepFigureIsDrawnAndLinked(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        String[] args = tiny(data(tmp), out, "--loss", "mse", "--init", "xavier", "--momentum-type", "heavy-ball");
        List<String> a = new ArrayList<>(Arrays.asList(args));
        a.set(a.indexOf("--alphas") + 1, "1,10,100,1000,10000");
        a.set(a.indexOf("--epochs") + 1, "1");
        assertEquals(0, run(log, a.toArray(new String[0])), log.toString(StandardCharsets.UTF_8));
        assertNotNull(ImageIO.read(out.resolve("plots").resolve(AlphaSweepFigure.FILE).toFile()));
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("plots/" + AlphaSweepFigure.FILE) && report.contains("frozen-gates test acc"),
                report);
        CsvTable results = CsvTable.read(out.resolve("results.csv"));
        assertEquals(6, results.size(), "5 scales and the linearized model");
    }

    @Test
    void theNtkLimitIsSolvedAndComparedWithStandard(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<String> a = new ArrayList<>(Arrays.asList(tiny(data(tmp), out, "--loss", "mse", "--init", "xavier")));
        int at = a.indexOf("--alphas");
        a.remove(at);
        a.remove(at);
        a.remove("--augment");
        a.set(a.indexOf("--width-divisor") + 1, "16");   // at /64 (P ≈ 2,000 for n·K = 1,200) Θ is too ill-conditioned
        a.addAll(List.of("--modes", "standard,100,linearized,ntk-limit"));
        assertEquals(0, run(log, a.toArray(new String[0])), log.toString(StandardCharsets.UTF_8));
        CsvTable results = CsvTable.read(out.resolve("results.csv"));
        assertEquals("NTK-regression limit", results.get(3, "mode"));
        // the interpolant fits the 60 measured training images of 120 (P >> n·K): the CG reaches its tolerance
        assertEquals(1.0, Double.parseDouble(results.get(3, "train_accuracy")), 0.02,
                log.toString(StandardCharsets.UTF_8));
        double test = Double.parseDouble(results.get(3, "test_accuracy"));
        assertTrue(test >= 0 && test <= 1);
        CsvTable comparisons = CsvTable.read(out.resolve("comparisons.csv"));
        boolean paired = false;
        for (int r = 0; r < comparisons.size(); r++) {
            paired |= comparisons.get(r, "mode_b").equals("NTK-regression limit");
        }
        assertTrue(paired, "standard vs NTK-regression limit is a paired comparison");
        // the agreement with the limit recomputed from predictions.csv, independently of the outputs it was taken from
        CsvTable limit = CsvTable.read(out.resolve("limit_distance.csv"));
        assertEquals(3, limit.size(), "standard, lazy alpha=100 and linearized against the limit");
        CsvTable predictions = CsvTable.read(out.resolve("predictions.csv"));
        for (int r = 0; r < limit.size(); r++) {
            String mode = limit.get(r, "mode_key");
            int same = 0;
            int n = predictions.size();
            for (int i = 0; i < n; i++) {
                same += predictions.get(i, mode).equals(predictions.get(i, "ntk-limit")) ? 1 : 0;
            }
            assertEquals(same / (double) n, Double.parseDouble(limit.get(r, "agreement_with_limit")), 1e-12, mode);
            assertTrue(Double.parseDouble(limit.get(r, "relative_distance")) > 0, mode);
        }
        assertTrue(Files.readString(out.resolve("report.md")).contains("## Distance to the NTK-regression limit"));
    }

    @Test
    void killedRunResumesWithoutLosingFinishedModes(@TempDir Path tmp) throws Exception {
        Path data = data(tmp);
        Path straight = tmp.resolve("straight");
        Path interrupted = tmp.resolve("interrupted");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        assertEquals(0, run(log, tiny(data, straight, "--layout", "nchw")));
        // stop after 3 epochs: the standard mode is finished, the lazy one is half done
        assertEquals(3, run(log, tiny(data, interrupted, "--stop-after-epochs", "3", "--layout", "nchw")));
        assertEquals(2, run(log, tiny(data, interrupted)), "refuses to clobber without --resume");
        ByteArrayOutputStream resumed = new ByteArrayOutputStream();
        // another layout on resume is refused (CifarResumeTest); the half-done mode continues in its checkpoint's layout
        assertEquals(0, run(resumed, tiny(data, interrupted, "--resume", "--layout", "nchw")));
        String text = resumed.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("standard (alpha=1): already finished")
                && text.contains("resuming after epoch 1 of 2 (activations NCHW, as checkpointed)"), text);
        assertSameCurves(straight, interrupted);
    }

    /**
     * ResNet-18 (a ComputationGraph with BatchNorm) runs every trained mode, is stated in the manifest with its BatchNorm
     * mode, stays lazy at alpha = 100, and a run stopped mid-way resumes to the same curves as one that was not.
     */
    @Test
    void resnetRunsEveryModeAndResumes(@TempDir Path tmp) throws Exception {
        Path data = data(tmp);
        Path straight = tmp.resolve("straight");
        Path interrupted = tmp.resolve("interrupted");
        String[] resnet = {"--model", "resnet18", "--layout", "nchw"};     // modes: alpha 1, 100, linearized
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        assertEquals(0, run(log, tiny(data, straight, resnet)), log.toString(StandardCharsets.UTF_8));
        CsvTable results = CsvTable.read(straight.resolve("results.csv"));
        assertEquals(3, results.size());
        assertTrue(Double.parseDouble(results.get(1, "relative_param_change"))
                < Double.parseDouble(results.get(0, "relative_param_change")) / 10, "alpha=100 lazier than standard");
        JsonNode options = new ObjectMapper().readTree(straight.resolve("manifest.json").toFile()).get("options");
        assertEquals("ResNet-18", options.get("architecture").asText());
        assertTrue(options.get("batchNormMode").asText().startsWith("TRAINING"), options.toString());
        assertTrue(Files.readString(straight.resolve("report.md")).contains("ResNet-18/64"));
        String[] stopped = Arrays.copyOf(resnet, resnet.length + 2);
        stopped[resnet.length] = "--stop-after-epochs";
        stopped[resnet.length + 1] = "3";
        assertEquals(3, run(log, tiny(data, interrupted, stopped)));
        String[] resume = Arrays.copyOf(resnet, resnet.length + 1);
        resume[resnet.length] = "--resume";
        ByteArrayOutputStream resumed = new ByteArrayOutputStream();
        assertEquals(0, run(resumed, tiny(data, interrupted, resume)), resumed.toString(StandardCharsets.UTF_8));
        assertTrue(resumed.toString(StandardCharsets.UTF_8).contains("lazy alpha=100: resuming after epoch 1 of 2"),
                resumed.toString(StandardCharsets.UTF_8));
        assertSameCurves(straight, interrupted);
    }

    /**
     * The curves of an uninterrupted and a resumed run agree: accuracies exactly, losses and measures to float32
     * rounding.
     */
    static void assertSameCurves(Path straight, Path resumed) throws IOException {
        CsvTable a = CsvTable.read(straight.resolve("curves.csv"));
        CsvTable b = CsvTable.read(resumed.resolve("curves.csv"));
        assertEquals(a.size(), b.size());
        for (int r = 0; r < a.size(); r++) {
            for (String col : List.of("train_accuracy", "test_accuracy")) {
                assertEquals(a.get(r, col), b.get(r, col), "row " + r + " " + col);
            }
            // The resumed process starts with an empty cache of h(w0, x): values that the uninterrupted run took from
            // the cache (computed inside another minibatch) are recomputed, which changes float32 rounding only.
            for (String col : List.of("train_loss", "test_loss", "relative_param_change", "relu_signs_kept")) {
                double x = Double.parseDouble(a.get(r, col));
                double y = Double.parseDouble(b.get(r, col));
                assertEquals(x, y, 1e-5 * Math.max(1, Math.abs(x)), "row " + r + " " + col);
            }
        }
    }

    /**
     * The whole pipeline (batches, evaluation, the ReLU probe, all three kinds of mode) gives the same numbers with NHWC
     * activations as with NCHW, up to float rounding; a wrong arrangement of the images would not.
     */
    @Test
    void bothLayoutsGiveTheSameCurves(@TempDir Path tmp) throws Exception {
        Path data = data(tmp);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        CsvTable[] curves = new CsvTable[2];
        String[] layouts = {"nchw", "nhwc"};
        for (int i = 0; i < 2; i++) {
            Path out = tmp.resolve(layouts[i]);
            assertEquals(0, run(log, tiny(data, out, "--layout", layouts[i])), log.toString(StandardCharsets.UTF_8));
            assertEquals(layouts[i].toUpperCase(java.util.Locale.ROOT), new ObjectMapper()
                    .readTree(out.resolve("manifest.json").toFile()).get("options").get("activationLayout").asText());
            curves[i] = CsvTable.read(out.resolve("curves.csv"));
        }
        assertEquals(6, curves[0].size());
        assertEquals(curves[0].size(), curves[1].size());
        for (int r = 0; r < curves[0].size(); r++) {
            for (String col : List.of("train_loss", "test_loss", "relative_param_change")) {
                double x = Double.parseDouble(curves[0].get(r, col));
                double y = Double.parseDouble(curves[1].get(r, col));
                assertEquals(x, y, 1e-4 * Math.max(1, Math.abs(x)), "row " + r + " " + col);
            }
            for (String col : List.of("train_accuracy", "test_accuracy", "relu_signs_kept")) {
                double x = Double.parseDouble(curves[0].get(r, col));
                double y = Double.parseDouble(curves[1].get(r, col));
                assertEquals(x, y, 0.026, "row " + r + " " + col + " (one example of 40 at most)");
            }
        }
    }

    @Test
    void presetWithSeedsRunsEveryModePerSeedAndPairsThem(@TempDir Path tmp) throws Exception {
        Path data = data(tmp);
        Path out = tmp.resolve("seeds");
        String[] args = {"--preset", "medium", "--width-divisor", "64", "--train-subset", "0", "--test-subset", "0",
                "--train-eval-subset", "60", "--epochs", "1", "--batch-size", "32", "--seeds", "1,2",
                "--data-dir", data.toString(), "--out", out.toString()};
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<String> withStop = new ArrayList<>(Arrays.asList(args));
        withStop.addAll(List.of("--stop-after-epochs", "5"));       // seed 1's four modes and seed 2's plain
        assertEquals(3, run(log, withStop.toArray(new String[0])), log.toString(StandardCharsets.UTF_8));
        String text = log.toString(StandardCharsets.UTF_8);
        // explicitly given options override the preset; the others are the preset's and are printed
        assertTrue(text.contains("Preset medium sets: --lr 0.005 --lr-decay 0.05 --momentum 0.9 "
                + "--modes plain,1,100,linearized"), text);
        List<String> resume = new ArrayList<>(Arrays.asList(args));
        resume.add("--resume");
        ByteArrayOutputStream log2 = new ByteArrayOutputStream();
        assertEquals(0, run(log2, resume.toArray(new String[0])), log2.toString(StandardCharsets.UTF_8));
        assertTrue(log2.toString(StandardCharsets.UTF_8).contains("plain (seed 2): already finished"));

        CsvTable results = CsvTable.read(out.resolve("results.csv"));
        assertEquals(8, results.size(), "2 seeds x 4 modes");
        CsvTable predictions = CsvTable.read(out.resolve("predictions.csv"));
        assertEquals(80, predictions.size(), "2 seeds x 40 test images");
        List<String> keys = List.of("plain", "alpha1", "alpha100", "linearized");
        for (int r = 0; r < results.size(); r++) {
            // the stored predictions reproduce the reported test accuracy of that seed and mode
            int seedRow = r / 4 * 40;
            String key = keys.get(r % 4);
            int correct = 0;
            for (int i = seedRow; i < seedRow + 40; i++) {
                correct += predictions.get(i, key).equals(predictions.get(i, "label")) ? 1 : 0;
            }
            assertEquals(correct / 40.0, Double.parseDouble(results.get(r, "test_accuracy")), 1e-12, "row " + r);
            assertTrue(Long.parseLong(results.get(r, "peak_resident_bytes")) > 0);
        }
        // different seeds, different w0: the plain modes differ
        assertTrue(!results.get(0, "train_loss").equals(results.get(4, "train_loss")));
        CsvTable comparisons = CsvTable.read(out.resolve("comparisons.csv"));
        assertEquals(3 * 3, comparisons.size(), "plain-standard, standard-lazy, lazy-linearized: 2 seeds + pooled");
        JsonNode options = new ObjectMapper().readTree(out.resolve("run-options.json").toFile()).get("options");
        assertEquals("[1,2]", options.get("--seeds").toString());
        assertEquals("medium", options.get("--preset").asText());
        assertEquals("[\"plain\",\"alpha1\",\"alpha100\",\"linearized\"]", options.get("--modes").toString());
        JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
        assertEquals("0.05", manifest.get("options").get("presetOptions").get("--lr-decay").asText());
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("## Across seeds (mean ± sd)") && report.contains("| plain |")
                && report.contains("of 2 seeds"), report);
        assertTrue(Files.isDirectory(out.resolve("checkpoints").resolve("seed-2")));
    }
}
