package io.github.widenet.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Builds a Markdown report: headings, paragraphs, tables and images referenced by relative path. */
public final class MarkdownReport {

    private final StringBuilder md = new StringBuilder();

    public MarkdownReport heading(int level, String text) {
        md.append("#".repeat(Math.max(1, Math.min(6, level)))).append(' ').append(text).append("\n\n");
        return this;
    }

    public MarkdownReport paragraph(String text) {
        md.append(text).append("\n\n");
        return this;
    }

    public MarkdownReport bullet(String text) {
        md.append("- ").append(text).append('\n');
        return this;
    }

    /** Ends a run of bullets. */
    public MarkdownReport endList() {
        md.append('\n');
        return this;
    }

    public MarkdownReport code(String text) {
        md.append("```\n").append(text).append(text.endsWith("\n") ? "" : "\n").append("```\n\n");
        return this;
    }

    public MarkdownReport image(String alt, String relativePath) {
        md.append("![").append(alt).append("](").append(relativePath).append(")\n\n");
        return this;
    }

    public MarkdownReport table(List<String> header, List<List<String>> rows) {
        md.append('|');
        for (String h : header) {
            md.append(' ').append(cell(h)).append(" |");
        }
        md.append("\n|");
        md.append("---|".repeat(header.size()));
        md.append('\n');
        for (List<String> row : rows) {
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("table row has " + row.size() + " cells, header has " + header.size());
            }
            md.append('|');
            for (String c : row) {
                md.append(' ').append(cell(c)).append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
        return this;
    }

    /**
     * A CSV table for reading: decimals shown to {@link #SIGNIFICANT} significant digits (0.016916836541891103 →
     * 0.01692; the CSV file keeps full precision), integers and text as they are.
     */
    public MarkdownReport table(CsvTable t) {
        List<List<String>> rows = new java.util.ArrayList<>();
        for (List<String> row : t.rows()) {
            rows.add(row.stream().map(MarkdownReport::readable).toList());
        }
        return table(t.header(), rows);
    }

    /** Significant digits of the decimals in {@link #table(CsvTable)}. */
    public static final int SIGNIFICANT = 4;

    /** A decimal number to {@link #SIGNIFICANT} significant digits; anything else unchanged. */
    static String readable(String cell) {
        if (!cell.matches("-?\\d+\\.\\d+([eE]-?\\d+)?") ) {
            return cell;
        }
        double v = Double.parseDouble(cell);
        java.math.BigDecimal b = new java.math.BigDecimal(v).round(new java.math.MathContext(SIGNIFICANT));
        double a = Math.abs(v);
        return a != 0 && (a < 1e-4 || a >= 1e7) ? String.format(java.util.Locale.ROOT, "%." + (SIGNIFICANT - 1) + "e", v)
                : b.stripTrailingZeros().toPlainString();
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    @Override
    public String toString() {
        return md.toString();
    }

    public void write(Path file) throws IOException {
        io.github.widenet.train.AtomicFile.writeString(file, md.toString());
    }
}
