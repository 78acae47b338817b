package io.github.widenet.theory.pde;

import io.github.widenet.report.CsvTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command end to end on a tiny configuration: outputs, resume to identical numbers, bad options, divergence. */
class PdeExperimentTest {

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PdeExperiment e = new PdeExperiment().withLog(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        int code = PdeExperiment.commandLine(e).setOverwrittenOptionsAllowed(true).execute(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String[] tiny(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("--widths", "20,40", "--seeds", "1", "--horizon", "0.4",
                "--record-every", "0.2", "--panels", "0,0.4", "--eps", "1e-3", "--batch", "20",
                "--particles", "200", "--pde-dt", "0.05", "--test-size", "200", "--floor-reps", "30", "--bins", "10",
                "--no-verify", "--pde-horizon", "1", "--eps-at", "40=5e-4", "--out", out.toString()));
        a.addAll(Arrays.asList(extra));
        if (!a.contains("--eps-check")) {               // a list option: a second --eps-check would append to it
            a.addAll(List.of("--eps-check", "0.5,2"));
        }
        return a.toArray(new String[0]);
    }

    @Test
    void tinyRunWritesReportAndResumesToTheSameNumbers(@TempDir Path tmp) throws IOException {
        Path full = tmp.resolve("full");
        Result r = run(tiny(full));
        assertEquals(0, r.code(), r.err());
        for (String f : List.of("report.md", "manifest.json", "w1.csv", "summary.csv", "pde.csv", "histograms.csv",
                "plots/histograms.png", "plots/w1-over-time.png", "plots/w1-over-width.png", "plots/risk.png", "plots/w1-vs-eps.png")) {
            assertTrue(Files.size(full.resolve(f)) > 0, f);
        }
        String report = Files.readString(full.resolve("report.md"));
        assertTrue(report.contains("N = 40") && report.contains("](plots/histograms.png)"), report);
        CsvTable w1 = CsvTable.read(full.resolve("w1.csv"));
        assertEquals((2 + 2) * 3, w1.size());          // (2 widths + two ε checks) × 3 recorded times
        CsvTable eps = CsvTable.read(full.resolve("eps-extrapolation.csv"));
        assertEquals(3, eps.size());                   // the width's own ε and the two factors
        assertTrue(report.contains("Step-size extrapolation at N = 40") && report.contains("w1-vs-eps.png"), report);
        assertEquals(0.0, Double.parseDouble(w1.get(0, "time")));

        Path split = tmp.resolve("split");
        Result stopped = run(tiny(split, "--stop-after-steps", "7", "--checkpoint-minutes", "0"));
        assertEquals(3, stopped.code(), stopped.err() + stopped.out());
        Result resumed = run(tiny(split, "--resume"));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("resuming at step 7"), resumed.out());
        assertEquals(Files.readString(full.resolve("w1.csv")), Files.readString(split.resolve("w1.csv")));
    }

    @ParameterizedTest
    @CsvSource({"--d, 5", "--d, 5000", "--widths, 3", "--delta, 1.2", "--delta, 0", "--eps, 0", "--eps, -1e-5",
            "--seeds, 0", "--floor-reps, 29"})
    void badOptionsGiveOneLineErrorsAndExit2(String option, String value, @TempDir Path tmp) {
        Result r = run(tiny(tmp.resolve("bad"), option, value));
        assertEquals(2, r.code(), r.err());
        String msg = r.err().strip();
        assertEquals(1, msg.lines().count(), msg);
        assertTrue(msg.contains(option) && msg.contains(value.replace("e-5", "")), msg);
    }

    @Test
    void divergingRunStopsWithAMessage(@TempDir Path tmp) {
        Result r = run(tiny(tmp.resolve("div"), "--sigma", "0.5,1.5,-2500,7500", "--eps", "5e-3", "--batch", "4",
                "--record-every", "0.2", "--horizon", "0.4", "--eps-check", "0"));
        assertEquals(4, r.code(), r.out() + r.err());       // the documented exit code of a diverged run
        assertTrue(r.err().contains("diverged"), r.err());
    }

    @Test
    void resumeWithAnotherDeltaIsRefusedNamingBothValues(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("run");
        assertEquals(0, run(tiny(out, "--eps-check", "0")).code());
        String report = Files.readString(out.resolve("report.md"));
        Result r = run(tiny(out, "--eps-check", "0", "--resume", "--delta", "0.7"));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().strip().lines().count() == 1 && r.err().contains("--delta 0.8 (now 0.7)"), r.err());
        assertEquals(report, Files.readString(out.resolve("report.md")));
    }

    @Test
    void anEpsAtWidthNotInWidthsIsAnError(@TempDir Path tmp) {
        Result r = run(tiny(tmp.resolve("x"), "--eps-at", "999=1e-5"));
        assertEquals(2, r.code(), r.err());
        assertEquals("pde: --eps-at 999=1.0E-5: width 999 is not in --widths [20, 40]", r.err().strip());
    }
}
