package io.github.widenet.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Figures a reader can take in: no two series alike, legends outside the data, tick labels for the axis's range. */
class PlotsTest {

    private static Map<String, double[][]> series(int k) {
        Map<String, double[][]> m = new LinkedHashMap<>();
        for (int i = 0; i < k; i++) {
            m.put("s" + i, new double[][]{{1, 2, 3}, {i + 1, i + 2, i + 4}});
        }
        return m;
    }

    @Test
    void everySeriesOfAChartLooksDifferent() {
        XYChart chart = Plots.lineChart("t", "x", "y", series(Plots.MAX_SERIES), false, false, 400, 300);
        Set<String> looks = new HashSet<>();
        for (XYSeries s : chart.getSeriesMap().values()) {
            java.awt.BasicStroke stroke = s.getLineStyle();
            looks.add(s.getLineColor() + " " + java.util.Arrays.toString(stroke.getDashArray()));
        }
        assertEquals(Plots.MAX_SERIES, looks.size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Plots.lineChart("crowded", "x", "y", series(Plots.MAX_SERIES + 1), false, false, 400, 300));
        assertTrue(e.getMessage().contains("crowded") && e.getMessage().contains(Plots.MAX_SERIES + 1 + " series"));
    }

    @Test
    void legendSitsOutsideTheDataAndOnlyWhenThereAreSeveralSeries() {
        XYChart two = Plots.lineChart("t", "x", "y", series(2), false, false, 400, 300);
        assertEquals(Styler.LegendPosition.OutsideE, two.getStyler().getLegendPosition());
        assertTrue(two.getStyler().isLegendVisible());
        assertFalse(Plots.lineChart("t", "x", "y", series(1), false, false, 400, 300).getStyler().isLegendVisible());
    }

    @Test
    void tickPatternsFollowTheRange() {
        assertEquals("0.##E0", Plots.pattern(1e-5, 5e-5, false));     // "0.###" would print 0 for every tick
        assertEquals("0.##E0", Plots.pattern(0, 3e7, false));
        assertEquals("0", Plots.pattern(0, 250, false));              // steps of 50
        assertEquals("0.##", Plots.pattern(0, 0.25, false));          // steps of 0.05
        assertEquals("0.###", Plots.pattern(0.001, 100, true));
        assertEquals("0E0", Plots.pattern(1e-5, 1, true));
        assertEquals(0.5, Plots.niceStep(0.44), 1e-15);
        assertEquals(2.5, Plots.niceStep(2.1), 1e-15);
        assertEquals(10, Plots.niceStep(5.5), 1e-15);
        assertEquals(1e-5, Plots.niceStep(1e-5), 1e-20);
    }

    @Test
    void aGridWithMoreCellsThanChartsLeavesTheRestWhite(@TempDir Path tmp) throws Exception {
        java.util.List<XYChart> charts = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            charts.add(Plots.lineChart("c" + i, "x", "y", series(2), false, false, 300, 200));
        }
        Path png = tmp.resolve("grid.png");
        Plots.grid(png, charts, 2, 2);                 // XChart's own merge threw IndexOutOfBounds here
        java.awt.image.BufferedImage im = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(600, im.getWidth());
        assertEquals(400, im.getHeight());
        assertEquals(java.awt.Color.WHITE.getRGB(), im.getRGB(450, 300));   // the fourth cell
        assertThrows(IllegalArgumentException.class, () -> Plots.grid(tmp.resolve("x.png"), charts, 1, 2));
    }

    @Test
    void logAxesEndOnWholeDecades() {
        Map<String, double[][]> m = new LinkedHashMap<>();
        m.put("a", new double[][]{{200, 800, 3200}, {0.04, 0.012, 0.014}});
        m.put("b", new double[][]{{200, 800, 3200}, {0.047, 0.023, 0.0116}});
        XYChart chart = Plots.lineChart("t", "N", "W1", m, true, true, 400, 300);
        assertEquals(100, chart.getStyler().getXAxisMin(), 1e-9);     // 200 … 3200: labels 100, 1000, 10000
        assertEquals(10000, chart.getStyler().getXAxisMax(), 1e-9);
        assertEquals(0.01, chart.getStyler().getYAxisMin(), 1e-15);
        assertEquals(0.1, chart.getStyler().getYAxisMax(), 1e-15);
    }

    @Test
    void equallySpacedXValuesGetRoundAxisEnds(@TempDir Path tmp) throws Exception {
        // histogram edges from -10.305 in steps of 0.5: XChart would label the edges themselves
        double[] edges = new double[41];
        for (int i = 0; i < edges.length; i++) {
            edges[i] = -10.305 + 0.5 * i;
        }
        long[] counts = new long[40];
        counts[20] = 5;
        XYChart chart = Plots.histogramChart("h", "c", edges, Map.of("a", counts), false, 400, 300);
        assertEquals(-15.0, chart.getStyler().getXAxisMin(), 1e-12);
        assertEquals(10.0, chart.getStyler().getXAxisMax(), 1e-12);
        Path png = tmp.resolve("h.png");
        Plots.grid(png, java.util.List.of(chart), 1, 1);
        assertTrue(Files.size(png) > 1000);
    }
}
