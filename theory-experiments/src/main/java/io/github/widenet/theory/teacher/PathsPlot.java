package io.github.widenet.theory.teacher;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;

/**
 * Plane plot of unit paths: each student unit's trajectory p_i(t) = |c_i|·w_i (red: c_i > 0 at the end, blue: c_i < 0),
 * its final position as a dot, the teacher's units θ_j as large diamonds (same colours by sign s_j), and the unit circle;
 * the legend names each kind of mark once.
 */
final class PathsPlot {

    private static final Color PLUS = new Color(214, 39, 40);
    private static final Color MINUS = new Color(31, 119, 180);

    private PathsPlot() {
    }

    static XYChart chart(String title, UnitPaths paths, Teacher teacher, int size) {
        XYChart chart = new XYChartBuilder().width(size).height(size).title(title).xAxisTitle("x").yAxisTitle("y").build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(230, 230, 230));
        chart.getStyler().setXAxisDecimalPattern("0.##");
        chart.getStyler().setYAxisDecimalPattern("0.##");
        double bound = 1.1;
        for (int i = 0; i < paths.units(); i++) {
            double[][] p = paths.path(i);
            for (int k = 0; k < p[0].length; k++) {
                bound = Math.max(bound, 1.05 * Math.max(Math.abs(p[0][k]), Math.abs(p[1][k])));
            }
        }
        chart.getStyler().setXAxisMin(-bound).setXAxisMax(bound).setYAxisMin(-bound).setYAxisMax(bound);
        double[] cx = new double[101];
        double[] cy = new double[101];
        for (int k = 0; k <= 100; k++) {
            cx[k] = Math.cos(2 * Math.PI * k / 100);
            cy[k] = Math.sin(2 * Math.PI * k / 100);
        }
        XYSeries circle = chart.addSeries("unit circle", cx, cy);
        circle.setMarker(SeriesMarkers.NONE);
        circle.setLineColor(Color.GRAY);
        circle.setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{3f, 3f}, 0f));
        // one legend entry per kind of mark (the first path of each sign, the first end point, each teacher sign)
        java.util.Set<String> named = new java.util.HashSet<>();
        for (int i = 0; i < paths.units(); i++) {
            double[][] p = paths.path(i);
            boolean plus = paths.finalSign(i) >= 0;
            Color c = plus ? PLUS : MINUS;
            String kind = plus ? "unit path, c > 0 at the end" : "unit path, c < 0 at the end";
            XYSeries s = chart.addSeries(named.add(kind) ? kind : "unit " + i, p[0], p[1]);
            s.setShowInLegend(s.getName().equals(kind));
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(c);
            s.setLineStyle(new BasicStroke(1.2f));
            int last = p[0].length - 1;
            String endKind = "unit at the end";
            XYSeries end = chart.addSeries(named.add(endKind) ? endKind : "end " + i, new double[]{p[0][last]},
                    new double[]{p[1][last]});
            end.setShowInLegend(end.getName().equals(endKind));
            end.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            end.setMarker(SeriesMarkers.CIRCLE);
            end.setMarkerColor(c);
        }
        for (int j = 0; j < teacher.units(); j++) {
            String kind = teacher.signs()[j] > 0 ? "teacher unit, s > 0" : "teacher unit, s < 0";
            XYSeries t = chart.addSeries(named.add(kind) ? kind : "teacher " + j,
                    new double[]{teacher.directions()[j][0]}, new double[]{teacher.directions()[j][1]});
            t.setShowInLegend(t.getName().equals(kind));
            t.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            t.setMarker(SeriesMarkers.DIAMOND);
            t.setMarkerColor(teacher.signs()[j] > 0 ? PLUS.darker() : MINUS.darker());
        }
        chart.getStyler().setMarkerSize(9);
        return chart;
    }

}
