package io.github.widenet.report;

import org.knowm.xchart.XYChart;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one writer of a run directory's outputs: CSV tables, plots (under {@code plots/}), {@value #REPORT} and
 * {@value #MANIFEST}, each written atomically. An experiment supplies the tables, charts, report and manifest; this
 * class places them and remembers what it wrote, for the closing line {@link #wrote()}.
 */
public final class RunOutputs {

    /** The report's file name. */
    public static final String REPORT = "report.md";
    /** The manifest's file name. */
    public static final String MANIFEST = "manifest.json";

    private final Path dir;
    private final Set<String> written = new LinkedHashSet<>();

    public RunOutputs(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** A table as {@code name} (e.g. "runs.csv"). */
    public void csv(String name, CsvTable table) throws IOException {
        table.write(dir.resolve(name));
        written.add(name);
    }

    /** Charts in a {@code rows} × {@code cols} grid as {@code plots/<name>}. */
    public void plot(String name, List<XYChart> charts, int rows, int cols) throws IOException {
        Plots.grid(dir.resolve("plots").resolve(name), charts, rows, cols);
        written.add("plots/" + name);
    }

    /** One line chart ({@link Plots#lines}) as {@code plots/<name>}. */
    public void lines(String name, String title, String xLabel, String yLabel, Map<String, double[][]> xyBySeries,
                      boolean logX, boolean logY) throws IOException {
        Plots.lines(dir.resolve("plots").resolve(name), title, xLabel, yLabel, xyBySeries, logX, logY);
        written.add("plots/" + name);
    }

    /** One histogram chart ({@link Plots#histograms}) as {@code plots/<name>}. */
    public void histograms(String name, String title, String xLabel, double[] edges, Map<String, long[]> countsBySeries,
                           boolean logY) throws IOException {
        Plots.histograms(dir.resolve("plots").resolve(name), title, xLabel, edges, countsBySeries, logY);
        written.add("plots/" + name);
    }

    /** The report as {@value #REPORT}. */
    public void report(MarkdownReport md) throws IOException {
        md.write(dir.resolve(REPORT));
        written.add(REPORT);
    }

    /** The manifest as {@value #MANIFEST}. */
    public void manifest(RunManifest manifest) throws IOException {
        manifest.write(dir.resolve(MANIFEST));
        written.add(MANIFEST);
    }

    /** Records a file the experiment wrote itself under the run directory (e.g. per-run paths). */
    public void wroteFile(String name) {
        written.add(name);
    }

    /** "Wrote /abs/dir: report.md, manifest.json, runs.csv, plots/x.png", in the order written. */
    public String wrote() {
        return "Wrote " + dir.toAbsolutePath() + ": " + String.join(", ", written);
    }
}
