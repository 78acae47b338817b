package io.github.widenet.sweep;

import io.github.widenet.cifar.CifarExperiment;
import io.github.widenet.nd4j.OneDnn;
import io.github.widenet.report.CsvTable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code sweep cifar --master local[2]} on a tiny generated CIFAR-format set with two seeds (a unit is a mode of a seed):
 * the numbers and test-set predictions of the sequential run.
 */
class SweepCifarTest {

    @BeforeAll
    static void nativesAsTheSweep() {
        OneDnn.configure();                          // as ./widenet cifar and the sweep's CIFAR tasks
    }

    private static Path data(Path dir) throws IOException {
        return io.github.widenet.cifar.TinyCifar.data(dir);
    }

    private static List<String> options(Path data, Path out) {
        return new ArrayList<>(List.of("--width-divisor", "64", "--epochs", "2", "--batch-size", "32", "--modes",
                "1,100", "--seeds", "1,2", "--train-subset", "0", "--test-subset", "0", "--train-eval-subset", "60", "--lr", "0.005",
                "--data-dir", data.toString(), "--out", out.toString()));
    }

    @Test
    void localSweepEqualsTheSequentialRun(@TempDir Path tmp) throws Exception {
        Path data = data(tmp);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        var seq = CifarExperiment.commandLine(new CifarExperiment().withLog(new PrintStream(new ByteArrayOutputStream(),
                true, StandardCharsets.UTF_8)));
        seq.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        assertEquals(0, seq.execute(options(data, tmp.resolve("seq")).toArray(String[]::new)), err.toString());

        List<String> args = new ArrayList<>(List.of("cifar"));
        args.addAll(options(data, tmp.resolve("sweep")));
        args.addAll(List.of("--master", "local[2]"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Sweep.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err + out.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("Sweep: 4 tasks as Spark tasks"), out.toString());

        for (String csv : List.of("results.csv", "curves.csv")) {      // two seeds x two modes: tasks "seed1-alpha1" ...
            CsvTable a = CsvTable.read(tmp.resolve("seq").resolve(csv));
            CsvTable b = CsvTable.read(tmp.resolve("sweep").resolve(csv));
            assertEquals(a.size(), b.size(), csv);
            for (int r = 0; r < a.size(); r++) {
                for (String col : List.of("mode", "train_accuracy", "train_loss", "test_accuracy", "test_loss",
                        "relative_param_change", "relu_signs_kept")) {
                    assertEquals(a.get(r, col), b.get(r, col), csv + " row " + r + " " + col);
                }
            }
        }
        assertEquals(Files.readAllLines(tmp.resolve("seq/predictions.csv")),
                Files.readAllLines(tmp.resolve("sweep/predictions.csv")), "per-image predictions");
        assertTrue(Files.size(tmp.resolve("sweep/report.md")) > 0);
        assertTrue(Files.size(tmp.resolve("sweep/manifest.json")) > 0);
    }
}
