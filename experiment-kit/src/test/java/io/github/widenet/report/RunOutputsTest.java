package io.github.widenet.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link RunOutputs} places each output under the run directory and lists what it wrote, in order. */
class RunOutputsTest {

    @Test
    void writesEachOutputWhereTheReportLinksItAndSaysWhatItWrote(@TempDir Path dir) throws Exception {
        RunOutputs out = new RunOutputs(dir);
        CsvTable t = new CsvTable("x", "y");
        t.add(1, 0.5);
        t.add(2, 0.25);
        out.csv("runs.csv", t);
        out.lines("y.png", "y against x", "x", "y", Map.of("y", new double[][]{{1, 2}, {0.5, 0.25}}), false, false);
        out.plot("grid.png", List.of(Plots.lineChart("a", "x", "y", Map.of("a", new double[][]{{1, 2}, {1, 2}}),
                false, false, 300, 200)), 1, 1);
        out.report(new MarkdownReport().heading(1, "Run").image("y", "plots/y.png"));
        RunManifest m = new RunManifest("test", Map.of("k", 1), 7);
        out.manifest(m);
        assertEquals("x,y", Files.readAllLines(dir.resolve("runs.csv")).get(0));
        for (String f : new String[]{"plots/y.png", "plots/grid.png", RunOutputs.REPORT, RunOutputs.MANIFEST}) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        assertEquals("Wrote " + dir.toAbsolutePath() + ": runs.csv, plots/y.png, plots/grid.png, report.md, manifest.json",
                out.wrote());
    }
}
