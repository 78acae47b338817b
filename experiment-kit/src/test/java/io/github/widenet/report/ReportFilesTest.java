package io.github.widenet.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CSV, PNG plots, manifest and Markdown outputs are written, readable and validated. */
class ReportFilesTest {

    @Test
    void csvRoundTripWithQuoting(@TempDir Path dir) throws Exception {
        CsvTable t = new CsvTable("name", "value", "note");
        t.add("a", 1.5, "plain").add("b,c", 2, "say \"hi\"\nthere");
        Path f = dir.resolve("sub/t.csv");
        t.write(f);
        CsvTable back = CsvTable.read(f);
        assertEquals(t.header(), back.header());
        assertEquals(t.rows(), back.rows());
        assertEquals("b,c", back.get(1, "name"));
        assertThrows(IllegalArgumentException.class, () -> t.add("only one"));
    }

    @Test
    void histogramAndLinePlotsAreRealPngs(@TempDir Path dir) throws Exception {
        double[] edges = Histogram.uniformEdges(-1, 1, 10);
        Map<String, long[]> series = new LinkedHashMap<>();
        series.put("N=1000", new long[]{1, 2, 3, 4, 5, 5, 4, 3, 2, 1});
        series.put("N=10000", new long[]{10, 20, 30, 40, 50, 50, 40, 30, 20, 0});
        Path h = dir.resolve("h.png");
        Plots.histograms(h, "c_i", "c", edges, series, true);
        BufferedImage img = ImageIO.read(h.toFile());
        assertNotNull(img);
        assertEquals(800, img.getWidth());
        assertEquals(520, img.getHeight());

        Map<String, double[][]> lines = new LinkedHashMap<>();
        lines.put("c", new double[][]{{1000, 10000, 100000}, {0.3, 0.1, 0.03}});
        Path l = dir.resolve("l.png");
        Plots.lines(l, "W1 to largest", "N", "W1", lines, true, true);
        assertNotNull(ImageIO.read(l.toFile()));

        Map<String, double[][]> bad = Map.of("s", new double[][]{{1, 2}, {0.5, 0}});
        assertThrows(IllegalArgumentException.class, () -> Plots.lines(dir.resolve("x.png"), "t", "x", "y", bad, false, true));
        Map<String, double[][]> ragged = Map.of("s", new double[][]{{1, 2}, {0.5}});
        assertThrows(IllegalArgumentException.class, () -> Plots.lines(dir.resolve("x.png"), "t", "x", "y", ragged, false, false));

        Path g = dir.resolve("g.png");
        Plots.grid(g, List.of(Plots.histogramChart("a", "x", edges, series, false, 300, 200),
                Plots.histogramChart("b", "x", edges, series, false, 300, 200)), 1, 2);
        assertEquals(600, ImageIO.read(g.toFile()).getWidth());
    }

    @Test
    void manifestRecordsOptionsVersionsAndWallTime(@TempDir Path dir) throws Exception {
        RunManifest m = new RunManifest("test", Map.of("widths", "1000,10000"), 42).data(Map.of("kind", "EMBEDDED"))
                .measureSgemm();
        m.put("result", Map.of("accuracy", 0.97));
        Path f = dir.resolve("manifest.json");
        m.write(f);
        JsonNode json = new ObjectMapper().readTree(f.toFile());
        assertEquals("test", json.get("experiment").asText());
        assertEquals(42, json.get("seed").asInt());
        assertEquals("1000,10000", json.get("options").get("widths").asText());
        assertTrue(json.get("versions").get("java").asText().startsWith(System.getProperty("java.version")));
        assertEquals("1.0.0-M2.1", json.get("versions").get("dl4j").asText());
        assertTrue(json.get("wallTimeSeconds").asDouble() >= 0);
        assertEquals("EMBEDDED", json.get("data").get("kind").asText());
        assertTrue(json.get("machine").get("nd4jSgemm2048Gflops").asDouble() > 0.1, "sgemm rate recorded");
    }

    @Test
    void markdownTablesAndImages(@TempDir Path dir) throws Exception {
        MarkdownReport r = new MarkdownReport().heading(1, "Run").paragraph("text")
                .table(List.of("a", "b|c"), List.of(List.of("1", "2")))
                .image("plot", "plots/p.png");
        Path f = dir.resolve("report.md");
        r.write(f);
        String md = Files.readString(f);
        assertTrue(md.startsWith("# Run\n"));
        assertTrue(md.contains("| a | b\\|c |\n|---|---|\n| 1 | 2 |"));
        assertTrue(md.contains("![plot](plots/p.png)"));
        assertThrows(IllegalArgumentException.class, () -> r.table(List.of("a"), List.of(List.of("1", "2"))));
    }
}
