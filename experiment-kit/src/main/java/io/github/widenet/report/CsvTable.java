package io.github.widenet.report;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A CSV table — a header and rows of cells — written and read with Apache Commons CSV (RFC 4180 quoting, '\n' line
 * ends); numbers are written with {@link Locale#ROOT} and full precision.
 */
public final class CsvTable {

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator('\n').build();

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public CsvTable(String... header) {
        this(Arrays.asList(header));
    }

    public CsvTable(List<String> header) {
        if (header.isEmpty()) {
            throw new IllegalArgumentException("a CSV table needs at least one column");
        }
        this.header = List.copyOf(header);
    }

    /** Adds a row; numbers are written with {@link Locale#ROOT} and full precision. */
    public CsvTable add(Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, the header has " + header.size()
                    + " " + header);
        }
        List<String> row = new ArrayList<>(cells.length);
        for (Object c : cells) {
            row.add(format(c));
        }
        rows.add(row);
        return this;
    }

    private static String format(Object c) {
        if (c == null) {
            return "";
        }
        if (c instanceof Double || c instanceof Float) {
            return String.format(Locale.ROOT, "%s", c);
        }
        return c.toString();
    }

    public List<String> header() {
        return header;
    }

    public List<List<String>> rows() {
        return rows;
    }

    public int size() {
        return rows.size();
    }

    /** The cell in the named column of row {@code r}. */
    public String get(int r, String column) {
        int c = header.indexOf(column);
        if (c < 0) {
            throw new IllegalArgumentException("no column '" + column + "' in " + header);
        }
        return rows.get(r).get(c);
    }

    public void write(Path file) throws IOException {
        io.github.widenet.train.AtomicFile.write(file, stream -> {
            Writer w = new java.io.OutputStreamWriter(stream, StandardCharsets.UTF_8);
            CSVPrinter out = new CSVPrinter(w, FORMAT);
            out.printRecord(header);
            for (List<String> row : rows) {
                out.printRecord(row);
            }
            out.flush();
        });
    }

    /** Reads a CSV file with a header line; every row must have as many cells as the header. */
    public static CsvTable read(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.parse(r, FORMAT)) {
            List<CSVRecord> records = parser.getRecords();
            if (records.isEmpty()) {
                throw new IOException(file + ": empty CSV file");
            }
            CsvTable t = new CsvTable(records.get(0).toList());
            for (int i = 1; i < records.size(); i++) {
                List<String> cells = records.get(i).toList();
                if (cells.size() != t.header.size()) {
                    throw new IOException(file + ": line " + (i + 1) + " has " + cells.size() + " cells, expected "
                            + t.header.size());
                }
                t.rows.add(cells);
            }
            return t;
        } catch (java.io.UncheckedIOException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }
}
