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

    public MarkdownReport table(CsvTable t) {
        return table(t.header(), t.rows());
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
