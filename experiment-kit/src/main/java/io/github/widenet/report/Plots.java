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
 * Every series of a chart differs from the others (eight Okabe–Ito colours, then the same colours dashed, then dotted);
 * legends sit outside the plotting area; tick labels are formatted for each axis's range (powers of ten where the
 * values are tiny or huge) and spaced so they do not run together.
 */
public final class Plots {

    /** Colour-blind-friendly palette (Okabe–Ito; its yellow darkened to read on white), then dashed, then dotted. */
    private static final Color[] PALETTE = {
            new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115), new Color(204, 121, 167),
            new Color(230, 159, 0), new Color(86, 180, 233), new Color(0, 0, 0), new Color(190, 175, 20)};

    /** Line styles in turn once the colours are used up: solid, dashed, dotted. */
    private static final float[][] DASHES = {null, {9f, 5f}, {2f, 4f}};

    /** The largest number of series a chart can tell apart. */
    public static final int MAX_SERIES = PALETTE.length * DASHES.length;

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
        if (countsBySeries.size() > MAX_SERIES) {
            throw new IllegalArgumentException(title + ": " + countsBySeries.size() + " series, more than the "
                    + MAX_SERIES + " a chart can tell apart");
        }
        XYChart chart = base(title, xLabel, logY ? "density (log)" : "density", width, height);
        chart.getStyler().setYAxisLogarithmic(logY);
        int k = 0;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = 0;
        for (Map.Entry<String, long[]> e : countsBySeries.entrySet()) {
            double[] density = Histogram.ofCounts(edges, e.getValue()).density();
            // a step outline: points at both ends of every bin
            double[] xs = new double[2 * density.length];
            double[] ys = new double[2 * density.length];
            for (int i = 0; i < density.length; i++) {
                xs[2 * i] = edges[i];
                xs[2 * i + 1] = edges[i + 1];
                double y = density[i];
                yMax = Math.max(yMax, y);
                if (y > 0) {
                    yMin = Math.min(yMin, y);
                }
                if (logY && y <= 0) {
                    y = Double.NaN;        // XChart leaves a gap for NaN
                }
                ys[2 * i] = y;
                ys[2 * i + 1] = y;
            }
            XYSeries s = chart.addSeries(e.getKey(), xs, ys);
            style(s, k++);
        }
        finish(chart, edges[0], edges[edges.length - 1], false);
        chart.getStyler().setYAxisDecimalPattern(pattern(logY ? yMin : 0, yMax, logY));
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
        if (xyBySeries.size() > MAX_SERIES) {
            throw new IllegalArgumentException(title + ": " + xyBySeries.size() + " series, more than the "
                    + MAX_SERIES + " a chart can tell apart");
        }
        XYChart chart = base(title, xLabel, yLabel, width, height);
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setYAxisLogarithmic(logY);
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
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
            xMin = Math.min(xMin, min(xs));
            xMax = Math.max(xMax, max(xs));
            yMin = Math.min(yMin, min(ys));
            yMax = Math.max(yMax, max(ys));
        }
        finish(chart, xMin, xMax, logX);
        chart.getStyler().setYAxisDecimalPattern(pattern(yMin, yMax, logY));
        if (logY && yMax > 0 && yMin > 0) {
            chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(yMin))));
            chart.getStyler().setYAxisMax(Math.pow(10, Math.ceil(Math.log10(yMax) - 1e-12)));
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

    /** Legend outside the data, x tick labels for the x range, spaced so they do not run together. */
    private static void finish(XYChart chart, double xMin, double xMax, boolean logX) {
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setLegendVisible(chart.getSeriesMap().size() > 1);
        chart.getStyler().setXAxisDecimalPattern(pattern(xMin, xMax, logX));
        chart.getStyler().setXAxisTickMarkSpacingHint(logX ? 60 : 100);
        if (logX && xMax > 0 && xMin > 0) {
            // log axes label only the decades: whole decades at both ends give every axis at least two labels
            chart.getStyler().setXAxisMin(Math.pow(10, Math.floor(Math.log10(xMin))));
            chart.getStyler().setXAxisMax(Math.pow(10, Math.ceil(Math.log10(xMax) - 1e-12)));
        }
        if (!logX && xMax > xMin) {
            // XChart puts the ticks on the data's own x values when they are equally spaced (histogram edges, time
            // grids), which gives labels like -10.305; axis ends on a round step break that spacing
            double step = niceStep((xMax - xMin) / 5);
            chart.getStyler().setXAxisMin(Math.floor(xMin / step) * step);
            chart.getStyler().setXAxisMax(Math.ceil(xMax / step) * step);
        }
    }

    /** The round number 1, 2, 2.5 or 5 × 10^k nearest above {@code raw}. */
    static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[]{1, 2, 2.5, 5}) {
            if (m * p >= raw * (1 - 1e-12)) {
                return m * p;
            }
        }
        return 10 * p;
    }

    /**
     * A decimal pattern for tick labels over [min, max]: powers of ten ("1E-4") where the values are tiny or huge
     * (and on log axes spanning such values), else the decimals of a round step near a fifth of the range.
     */
    static String pattern(double min, double max, boolean log) {
        double big = Math.max(Math.abs(min), Math.abs(max));
        if (!(big > 0) || !Double.isFinite(big)) {
            return "0.###";
        }
        if (log) {
            return min >= 1e-3 && max < 1e6 ? "0.###" : "0E0";
        }
        if (big < 1e-3 || big >= 1e6) {
            return "0.##E0";
        }
        double step = (max - min) / 5;
        int decimals = step > 0
                ? Math.max(0, java.math.BigDecimal.valueOf(niceStep(step)).stripTrailingZeros().scale()) : 3;
        return decimals == 0 ? "0" : "0." + "#".repeat(Math.min(decimals, 6));
    }

    private static double min(double[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (double x : v) {
            m = Math.min(m, x);
        }
        return m;
    }

    private static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            m = Math.max(m, x);
        }
        return m;
    }

    private static void style(XYSeries s, int k) {
        s.setLineColor(PALETTE[k % PALETTE.length]);
        s.setMarkerColor(PALETTE[k % PALETTE.length]);
        float[] dash = DASHES[(k / PALETTE.length) % DASHES.length];
        s.setLineStyle(dash == null ? new BasicStroke(2f)
                : new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, dash, 0f));
        s.setMarker(SeriesMarkers.NONE);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    }

    /**
     * Writes the charts row by row into a {@code rows} × {@code cols} grid of cells the size of the largest chart;
     * cells left over stay white (XChart's own merge needs exactly rows × cols charts).
     */
    private static void write(Path png, List<XYChart> charts, int rows, int cols) throws IOException {
        if (charts.isEmpty() || charts.size() > rows * cols) {
            throw new IllegalArgumentException(charts.size() + " charts do not fit a " + rows + "x" + cols + " grid");
        }
        List<java.awt.image.BufferedImage> images = new ArrayList<>();
        int w = 0;
        int h = 0;
        for (XYChart c : charts) {
            // series added after lineChart (bands, scatter) count too: a legend whenever two entries would show
            c.getStyler().setLegendVisible(c.getSeriesMap().values().stream().filter(XYSeries::isShowInLegend).count() > 1);
            java.awt.image.BufferedImage im = BitmapEncoder.getBufferedImage(c);
            images.add(im);
            w = Math.max(w, im.getWidth());
            h = Math.max(h, im.getHeight());
        }
        java.awt.image.BufferedImage grid = new java.awt.image.BufferedImage(cols * w, rows * h,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = grid.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
        for (int i = 0; i < images.size(); i++) {
            g.drawImage(images.get(i), (i % cols) * w, (i / cols) * h, null);
        }
        g.dispose();
        io.github.widenet.train.AtomicFile.write(png, out -> javax.imageio.ImageIO.write(grid, "png", out));
    }
}
