package io.github.widenet.theory.teacher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The three commands end to end on tiny settings, their outputs, resume, and their one-line errors (exit 2). */
class CommandsTest {

    private static String err(Runnable r) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void badValuesExitWithStatus2AndOneLine() {
        int[] code = new int[1];
        String e = err(() -> code[0] = Cli.execute(new ScaleSweep(), "--units", "7"));
        assertEquals(2, code[0]);
        assertTrue(e.contains("--units") && e.contains("7"), e);
        assertEquals(1, e.strip().lines().count(), e);
        e = err(() -> code[0] = Cli.execute(new WidthSweep(), "--eta", "-1"));
        assertEquals(2, code[0]);
        assertTrue(e.contains("--eta") && e.contains("-1"), e);
        e = err(() -> code[0] = Cli.execute(new PathsExperiment(), "--steps", "abc"));
        assertEquals(2, code[0]);
        assertTrue(e.contains("--steps") && e.contains("abc"), e);
        assertEquals(1, e.strip().lines().count(), e);
        e = err(() -> code[0] = Cli.execute(new NtkBench(), "--images", "0"));
        assertEquals(2, code[0]);
    }

    @Test
    void scaleSweepWritesItsReportAndResumes(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("scale");
        String[] args = {"--dim", "5", "--units", "6", "--train", "30", "--test", "20", "--steps", "40",
                "--tau-points", "3", "--seeds", "2", "--eval-every", "10", "--out", out.toString()};
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        assertEquals(0, new picocli.CommandLine(new ScaleSweep().withLog(new PrintStream(log))).execute(args));
        for (String f : new String[]{"report.md", "manifest.json", "runs.csv", "kernel.csv", "summary.csv",
                "plots/test-loss-vs-tau.png", "plots/kappa-vs-tau.png"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("kernel gradient descent") && report.contains("slope of log κ"), report);
        assertFalse(report.contains("NaN"), report);
        String runs = Files.readString(out.resolve("runs.csv"));
        // resume: every unit is already done, so nothing is retrained and the results are identical
        String[] resumed = java.util.Arrays.copyOf(args, args.length + 1);
        resumed[args.length] = "--resume";
        assertEquals(0, new picocli.CommandLine(new ScaleSweep().withLog(new PrintStream(new ByteArrayOutputStream())))
                .execute(resumed));
        assertEquals(runs, Files.readString(out.resolve("runs.csv")));
    }

    @Test
    void pathsAndWidthCommandsWriteTheirFigures(@TempDir Path dir) throws Exception {
        Path paths = dir.resolve("paths");
        assertEquals(0, new picocli.CommandLine(new PathsExperiment().withLog(new PrintStream(new ByteArrayOutputStream())))
                .execute("--teacher-units", "3", "--units", "6", "--train", "10", "--test", "10", "--steps", "50",
                        "--snapshots", "5", "--out", paths.toString()));
        assertTrue(Files.size(paths.resolve("plots/paths.png")) > 0);
        assertTrue(Files.readString(paths.resolve("report.md")).contains("moved"));
        assertTrue(Files.readString(paths.resolve("report.md")).contains("on a teacher direction"));
        Path quick = dir.resolve("quick");
        assertEquals(0, new picocli.CommandLine(new PathsExperiment().withLog(new PrintStream(new ByteArrayOutputStream())))
                .execute("--quick", "--teacher-units", "2", "--units", "4", "--steps", "20", "--snapshots", "3",
                        "--out", quick.toString()));
        String manifest = Files.readString(quick.resolve("manifest.json"));
        assertTrue(manifest.contains("\"train\" : 40") && manifest.contains("\"test\" : 500")
                && manifest.contains("min(0.05, 0.02/tau^2)") && manifest.contains("gaussian:")
                && manifest.contains("\"steps\" : 20"), manifest);
        Path width = dir.resolve("width");
        assertEquals(0, new picocli.CommandLine(new WidthSweep()).execute("--dim", "5", "--teacher-units", "2",
                "--widths", "2,4", "--steps", "20", "--batch-size", "10", "--risk-samples", "50", "--seeds", "1",
                "--out", width.toString()));
        assertTrue(Files.size(width.resolve("plots/risk-vs-m.png")) > 0);
        assertTrue(Files.readString(width.resolve("summary.csv")).lines().count() == 3);
    }
}
