package io.github.widenet.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tables read from CSVs show decimals to four significant digits; integers, text and the CSV stay as they are. */
class MarkdownReportTest {

    @Test
    void decimalsAreShownToFourSignificantDigits() {
        assertEquals("0.01692", MarkdownReport.readable("0.016916836541891103"));
        assertEquals("3.3", MarkdownReport.readable("3.3000000000000003"));
        assertEquals("-1235", MarkdownReport.readable("-1234.5678"));
        assertEquals("1.235e-05", MarkdownReport.readable("1.2345678E-5"));
        assertEquals("12", MarkdownReport.readable("12"));
        assertEquals("mean-field", MarkdownReport.readable("mean-field"));
        assertEquals("0", MarkdownReport.readable("0.0"));
        CsvTable t = new CsvTable("scaling", "loss").add("ntk", 0.016916836541891103);
        String md = new MarkdownReport().table(t).toString();
        assertTrue(md.contains("| ntk | 0.01692 |"), md);
        assertEquals("0.016916836541891103", t.rows().get(0).get(1), "the CSV keeps full precision");
    }
}
