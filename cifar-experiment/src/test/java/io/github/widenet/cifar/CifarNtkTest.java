package io.github.widenet.cifar;

import io.github.widenet.report.CsvTable;
import io.github.widenet.train.CliErrors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code cifar-ntk} end to end on a tiny generated CIFAR-format dataset, its option checks and its resume check. */
class CifarNtkTest {

    private static int run(StringWriter err, String... args) {
        CommandLine cmd = CliErrors.configure(new CommandLine(new CifarNtk()), "cifar-ntk");
        return cmd.setErr(new PrintWriter(err, true)).execute(args);
    }

    private static String[] tiny(Path data, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("--data-dir", data.toString(), "--out", out.toString(),
                "--width-divisor", "64", "--sizes", "40", "--iterations", "6", "--batch", "16", "--test-images", "20",
                "--explicit-sizes", "10", "--explicit-block", "10", "--preconditioner-rank", "4"));
        a.addAll(Arrays.asList(extra));
        return a.toArray(new String[0]);
    }

    @Test
    void solvesAndWritesItsTablesReportAndManifest(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, tiny(CifarExperimentTest.data(tmp), out)), err.toString());
        CsvTable cg = CsvTable.read(out.resolve("ntk-regression.csv"));
        assertEquals(1, cg.size());
        assertEquals("40", cg.get(0, "n"));
        assertEquals("4", cg.get(0, "preconditioner_rank"));
        assertTrue(Integer.parseInt(cg.get(0, "cg_iterations")) <= 6);
        double residual = Double.parseDouble(cg.get(0, "final_residual"));
        assertTrue(residual >= 0 && residual < 10, "final residual " + residual);
        CsvTable explicit = CsvTable.read(out.resolve("explicit-gram.csv"));
        assertTrue(Double.isFinite(Double.parseDouble(explicit.get(0, "prediction_difference"))),
                "the explicit route's predictions are finite and compared");
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("n = 40:") && report.contains("one linearized epoch"), report);
        assertTrue(Files.exists(out.resolve("plots/residual.png")) && Files.exists(out.resolve("manifest.json"))
                && Files.exists(out.resolve("history-n40.csv")));

        StringWriter err2 = new StringWriter();
        assertEquals(2, run(err2, tiny(CifarExperimentTest.data(tmp), out, "--resume", "--ridge", "0.5")));
        assertTrue(err2.toString().contains("ridge") && err2.toString().strip().lines().count() == 1, err2.toString());
    }

    @Test
    void aStopRequestExitsThreeAndTheRunResumes(@TempDir Path tmp) throws Exception {
        Path data = CifarExperimentTest.data(tmp);
        Path out = tmp.resolve("out");
        StringWriter err = new StringWriter();
        int code = io.github.widenet.train.StopSignal.requestedDuring("SIGINT", () -> run(err, tiny(data, out)));
        assertEquals(3, code, err.toString());
        assertTrue(err.toString().contains("interrupted by SIGINT during the CG solve for n = 40")
                && err.toString().contains("./widenet cifar-ntk --resume --out " + out), err.toString());
        assertFalse(Files.exists(out.resolve("report.md")));
        assertTrue(Files.exists(out.resolve("checkpoints").resolve("cg-n40.bin")), "the CG state is checkpointed");
        StringWriter err2 = new StringWriter();
        assertEquals(0, run(err2, tiny(data, out, "--resume")), err2.toString());
        assertEquals(1, CsvTable.read(out.resolve("ntk-regression.csv")).size());
        StringWriter err3 = new StringWriter();
        assertEquals(2, run(err3, tiny(data, out)), "a finished run is not overwritten without --overwrite");
    }

    @Test
    void invalidOptionsAreOneLineAndExitTwo(@TempDir Path tmp) {
        for (String[] bad : new String[][]{{"--sizes", "5"}, {"--ridge", "-1"}, {"--preconditioner-rank", "1,2,3"},
                {"--seconds", "0"}, {"--width-divisor", "3"}, {"--bogus"}}) {
            StringWriter err = new StringWriter();
            Path out = tmp.resolve("out-" + Math.abs(Arrays.hashCode(bad)));
            List<String> a = new ArrayList<>(List.of("--out", out.toString()));
            a.addAll(Arrays.asList(bad));
            assertEquals(2, run(err, a.toArray(new String[0])), String.join(" ", bad) + ": " + err);
            assertEquals(1, err.toString().strip().lines().count(), err.toString());
            assertFalse(err.toString().contains("\tat "), err.toString());
            assertFalse(Files.exists(out), "no output directory for " + String.join(" ", bad));
        }
    }
}
