package io.github.widenet.internal.tangent;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's support table is the one generated from the tangent-rule registry. */
class SupportTableTest {

    static final String START = "<!-- support-table:start -->\n";
    static final String END = "<!-- support-table:end -->";

    @Test
    void readmeHoldsTheGeneratedTable() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int from = readme.indexOf(START);
        int to = readme.indexOf(END);
        assertTrue(from >= 0 && to > from, "README.md must hold the table between " + START.trim() + " and " + END);
        assertEquals(SupportTable.markdown(), readme.substring(from + START.length(), to),
                "README.md's support table is stale: replace it by the output of "
                        + "io.github.widenet.internal.tangent.SupportTable's main");
    }

    @Test
    void everyRegisteredRuleHasARow() {
        for (TangentRuleRegistration r : TangentRules.registry()) {
            assertTrue(SupportTable.markdown().contains("| " + r.name() + " |"), r.name());
        }
    }
}
