package io.github.widenet.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * PNG plots drawn with XChart, headless: overlaid histograms on common bins (one outline per series, e.g. per width)
 * and line plots with optional logarithmic axes. Inputs are validated (lengths, NaN, non-positive values on log axes).
 */
public final class Plots {

    /** Colour-blind-friendly palette (Okabe–Ito), cycled over series. */
    private static final Color[] PALETTE = {
            new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115), new Color(204, 121, 167),
            new Color(230, 159, 0), new Color(86, 180, 233), new Color(0, 0, 0), new Color(240, 228, 66)};

    private static final int WIDTH = 800;
    private static final int HEIGHT = 520;

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private Plots() {
    }

    /**
     * Overlaid histograms: each series is drawn as a step outline of its density (count / (n · bin width)), so series
     * with different sample sizes are comparable.
     *
     * @param countsBySeries series name → counts per bin (edges.length − 1 values), in legend order
     */
    public static void histograms(Path png, String title, String xLabel, double[] edges,
                                  Map<String, long[]> countsBySeries, boolean logY) throws IOException {
        write(png, List.of(histogramChart(title, xLabel, edges, countsBySeries, logY, WIDTH, HEIGHT)), 1, 1);
    }

    /** A histogram chart object, for {@link #grid}. */
    public static XYChart histogramChart(String title, String xLabel, double[] edges, Map<String, long[]> countsBySeries,
                                         boolean logY, int width, int height) {
        if (countsBySeries.isEmpty()) {
            throw new IllegalArgumentException(title + ": no series to plot");
        }
        XYChart chart = base(title, xLabel, logY ? "density (log)" : "density", width, height);
        chart.getStyler().setYAxisLogarithmic(logY);
        if (logY) {
            chart.getStyler().setYAxisDecimalPattern(null);
        }
        int k = 0;
        for (Map.Entry<String, long[]> e : countsBySeries.entrySet()) {
            double[] density = Histogram.ofCounts(edges, e.getValue()).density();
            // a step outline: points at both ends of every bin
            double[] xs = new double[2 * density.length];
            double[] ys = new double[2 * density.length];
            for (int i = 0; i < density.length; i++) {
                xs[2 * i] = edges[i];
                xs[2 * i + 1] = edges[i + 1];
                double y = density[i];
                if (logY && y <= 0) {
                    y = Double.NaN;        // XChart leaves a gap for NaN
                }
                ys[2 * i] = y;
                ys[2 * i + 1] = y;
            }
            XYSeries s = chart.addSeries(e.getKey(), xs, ys);
            style(s, k++);
        }
        return chart;
    }

    /**
     * Line plot of several series.
     *
     * @param xyBySeries series name → {xs, ys} (equal lengths), in legend order
     */
    public static void lines(Path png, String title, String xLabel, String yLabel, Map<String, double[][]> xyBySeries,
                             boolean logX, boolean logY) throws IOException {
        write(png, List.of(lineChart(title, xLabel, yLabel, xyBySeries, logX, logY, WIDTH, HEIGHT)), 1, 1);
    }

    /** A line chart object, for {@link #grid}. */
    public static XYChart lineChart(String title, String xLabel, String yLabel, Map<String, double[][]> xyBySeries,
                                    boolean logX, boolean logY, int width, int height) {
        if (xyBySeries.isEmpty()) {
            throw new IllegalArgumentException(title + ": no series to plot");
        }
        XYChart chart = base(title, xLabel, yLabel, width, height);
        if (xyBySeries.size() > 4) {                 // a long legend inside the plot covers the lines
            chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        }
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setYAxisLogarithmic(logY);
        // short decimals suit linear axes; logarithmic ones keep XChart's own labels (0.0001 would print as 0)
        if (logX) {
            chart.getStyler().setXAxisDecimalPattern(null);
        }
        if (logY) {
            chart.getStyler().setYAxisDecimalPattern(null);
        }
        int k = 0;
        for (Map.Entry<String, double[][]> e : xyBySeries.entrySet()) {
            double[] xs = e.getValue()[0];
            double[] ys = e.getValue()[1];
            if (xs.length != ys.length || xs.length == 0) {
                throw new IllegalArgumentException(title + ", series '" + e.getKey() + "': " + xs.length + " x values and "
                        + ys.length + " y values");
            }
            for (int i = 0; i < xs.length; i++) {
                check(title, e.getKey(), "x", xs[i], logX);
                check(title, e.getKey(), "y", ys[i], logY);
            }
            XYSeries s = chart.addSeries(e.getKey(), xs, ys);
            style(s, k++);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    /** Writes several charts into one PNG, {@code rows} × {@code cols}. */
    public static void grid(Path png, List<XYChart> charts, int rows, int cols) throws IOException {
        write(png, charts, rows, cols);
    }

    private static void check(String title, String series, String axis, double v, boolean log) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(title + ", series '" + series + "': " + axis + " value " + v);
        }
        if (log && v <= 0) {
            throw new IllegalArgumentException(title + ", series '" + series + "': " + axis + " value " + v
                    + " cannot be drawn on a logarithmic axis");
        }
    }

    private static XYChart base(String title, String xLabel, String yLabel, int width, int height) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
        chart.getStyler().setMarkerSize(6);
        chart.getStyler().setXAxisDecimalPattern("0.###");
        chart.getStyler().setYAxisDecimalPattern("0.###");
        return chart;
    }

    private static void style(XYSeries s, int k) {
        s.setLineColor(PALETTE[k % PALETTE.length]);
        s.setMarkerColor(PALETTE[k % PALETTE.length]);
        s.setLineStyle(new BasicStroke(2f));
        s.setMarker(SeriesMarkers.NONE);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    }

    private static void write(Path png, List<XYChart> charts, int rows, int cols) throws IOException {
        if (charts.size() > rows * cols) {
            throw new IllegalArgumentException(charts.size() + " charts do not fit a " + rows + "x" + cols + " grid");
        }
        List<XYChart> all = new ArrayList<>(charts);
        io.github.widenet.train.AtomicFile.write(png, out -> {
            if (all.size() == 1 && rows * cols == 1) {
                BitmapEncoder.saveBitmap(all.get(0), out, BitmapEncoder.BitmapFormat.PNG);
            } else {
                BitmapEncoder.saveBitmap(all, rows, cols, out, BitmapEncoder.BitmapFormat.PNG);
            }
        });
    }
}
