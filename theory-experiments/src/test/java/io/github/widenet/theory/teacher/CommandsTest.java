package io.github.widenet.theory.teacher;

import io.github.widenet.train.CliErrors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
        String e = err(() -> code[0] = CliErrors.execute(new ScaleSweep(), "--units", "7"));
        assertEquals(2, code[0]);
        assertTrue(e.contains("--units") && e.contains("7"), e);
        assertEquals(1, e.strip().lines().count(), e);
        e = err(() -> code[0] = CliErrors.execute(new WidthSweep(), "--protocol", "population", "--eta", "-1"));
        assertEquals(2, code[0]);
        assertTrue(e.contains("--eta") && e.contains("-1"), e);
        e = err(() -> code[0] = CliErrors.execute(new WidthSweep(), "--eta", "0.3"));
        assertEquals(2, code[0]);
        assertTrue(e.contains("--eta") && e.contains("applies to --protocol population only"), e);
        e = err(() -> code[0] = CliErrors.execute(new WidthSweep(), "--protocol", "population", "--iterations", "10"));
        assertEquals(2, code[0]);
        assertTrue(e.contains("--iterations") && e.contains("applies to --protocol reference only"), e);
        e = err(() -> code[0] = CliErrors.execute(new PopulationSweep(), "--units", "5"));
        assertEquals(2, code[0]);
        assertTrue(e.contains("--units") && e.contains("5"), e);
        assertEquals(1, e.strip().lines().count(), e);
        e = err(() -> code[0] = CliErrors.execute(new PopulationSweep(), "--iterations", "100", "--average-last", "60"));
        assertEquals(2, code[0]);
        assertTrue(e.contains("--average-last"), e);
        e = err(() -> code[0] = CliErrors.execute(new PathsExperiment(), "--steps", "abc"));
        assertEquals(2, code[0]);
        assertTrue(e.contains("--steps") && e.contains("abc"), e);
        assertEquals(1, e.strip().lines().count(), e);
        e = err(() -> code[0] = CliErrors.execute(new NtkBench(), "--images", "0"));
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
        // two units at once: the same numbers (seconds aside) as one after the other
        Path two = dir.resolve("two");
        String[] parallel = java.util.Arrays.copyOf(args, args.length + 2);
        parallel[java.util.Arrays.asList(args).indexOf("--out") + 1] = two.toString();
        parallel[args.length] = "--threads";
        parallel[args.length + 1] = "2";
        assertEquals(0, new picocli.CommandLine(new ScaleSweep().withLog(new PrintStream(new ByteArrayOutputStream())))
                .execute(parallel));
        assertEquals(withoutColumn(runs, "seconds"), withoutColumn(Files.readString(two.resolve("runs.csv")), "seconds"));
    }

    /** A CSV without one named column. */
    private static String withoutColumn(String csv, String column) {
        List<String> header = java.util.Arrays.asList(csv.lines().findFirst().orElseThrow().split(","));
        int col = header.indexOf(column);
        StringBuilder b = new StringBuilder();
        csv.lines().forEach(l -> {
            List<String> cells = new java.util.ArrayList<>(java.util.Arrays.asList(l.split(",", -1)));
            cells.remove(col);
            b.append(String.join(",", cells)).append('\n');
        });
        return b.toString();
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
        assertEquals(0, new picocli.CommandLine(new WidthSweep()).execute("--protocol", "population", "--dim", "5",
                "--teacher-units", "2",
                "--widths", "2,4", "--steps", "20", "--batch-size", "10", "--risk-samples", "50", "--seeds", "1",
                "--out", width.toString()));
        assertTrue(Files.size(width.resolve("plots/risk-vs-m.png")) > 0);
        assertTrue(Files.readString(width.resolve("summary.csv")).lines().count() == 3);
        assertTrue(Files.readString(width.resolve("report.md")).contains("runs met it"));
    }

    @Test
    void widthReferenceProtocolWritesItsReportAndResumes(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("ref");
        String[] args = {"--dim", "5", "--widths", "2,3,6", "--train", "30", "--test", "20", "--iterations", "300",
                "--window", "100", "--seeds", "2", "--threads", "2", "--eval-every", "50",
                "--ntk-step", "0.1", "--out", out.toString()};  // in d = 5 the reference's learning rate 1 diverges
        assertEquals(0, new picocli.CommandLine(new WidthSweep().withLog(new PrintStream(new ByteArrayOutputStream())))
                .execute(args));
        for (String f : new String[]{"report.md", "manifest.json", "runs.csv", "summary.csv", "plots/test-loss-vs-m.png"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("test_vs_m.jl") && report.contains("95 % CI") && report.contains("runs met it")
                && report.contains("Trials (seeds) 0, 1"), report);
        assertFalse(report.contains("NaN"), report);
        String manifest = Files.readString(out.resolve("manifest.json"));
        assertTrue(manifest.contains("\"teacherUnits\" : 3") && manifest.contains("\"labelScale\" : 100.0"), manifest);
        String runs = Files.readString(out.resolve("runs.csv"));
        assertEquals(1 + 2 * 3 * 2, runs.lines().count(), runs);
        // the same results on one thread, and on resume nothing is retrained
        Path one = dir.resolve("one");
        String[] single = args.clone();
        single[java.util.Arrays.asList(args).indexOf("--threads") + 1] = "1";
        single[single.length - 1] = one.toString();
        assertEquals(0, new picocli.CommandLine(new WidthSweep().withLog(new PrintStream(new ByteArrayOutputStream())))
                .execute(single));
        assertEquals(withoutSeconds(runs), withoutSeconds(Files.readString(one.resolve("runs.csv"))));
        String[] resumed = java.util.Arrays.copyOf(args, args.length + 1);
        resumed[args.length] = "--resume";
        assertEquals(0, new picocli.CommandLine(new WidthSweep().withLog(new PrintStream(new ByteArrayOutputStream())))
                .execute(resumed));
        assertEquals(runs, Files.readString(out.resolve("runs.csv")));
    }

    /** A runs.csv without its last column (seconds). */
    private static String withoutSeconds(String csv) {
        return csv.lines().map(l -> l.substring(0, l.lastIndexOf(','))).collect(java.util.stream.Collectors.joining("\n"));
    }

    @Test
    void populationSweepWritesItsReport(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("pop");
        assertEquals(0, new picocli.CommandLine(new PopulationSweep().withLog(new PrintStream(new ByteArrayOutputStream())))
                .execute("--dim", "5", "--units", "4", "--taus", "0.1,1,4", "--iterations", "400", "--average-last",
                        "100", "--batch-size", "20", "--seeds", "2", "--threads", "2", "--out", out.toString()));
        for (String f : new String[]{"report.md", "manifest.json", "runs.csv", "summary.csv",
                "plots/population-loss-vs-tau.png"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("populationSGD.jl") && report.contains("95 % CI") && report.contains("runs met it"),
                report);
        assertFalse(report.contains("NaN"), report);
        String manifest = Files.readString(out.resolve("manifest.json"));
        assertTrue(manifest.contains("\"teacherFactor\" : 0.05") && manifest.contains("min(25, 0.25/tau^2)"), manifest);
        assertEquals(1 + 2 * 3, Files.readString(out.resolve("runs.csv")).lines().count());
    }
}
