package io.github.widenet.layers;

import io.github.widenet.layers.WidenetSettings.Setting;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One owner for the widenet.* properties: defaults, refused values, and the README's table from the enum. */
class WidenetSettingsTest {

    private static <T> T with(Setting s, String value, java.util.function.Supplier<T> read) {
        String before = System.getProperty(s.key());
        System.setProperty(s.key(), value);
        try {
            return read.get();
        } finally {
            if (before == null) {
                System.clearProperty(s.key());
            } else {
                System.setProperty(s.key(), before);
            }
        }
    }

    @Test
    void defaultsAndValues() {
        assertEquals("auto", with(Setting.CONV_BACKWARD, "AUTO", () -> WidenetSettings.value(Setting.CONV_BACKWARD)));
        assertFalse(with(Setting.CHECK_FINITE, "false", () -> WidenetSettings.isOn(Setting.CHECK_FINITE)));
        assertEquals(10L, with(Setting.KERNELS_MIN_VALUES, "10", () -> WidenetSettings.number(Setting.KERNELS_MIN_VALUES)));
        if (System.getProperty(Setting.KERNELS_MIN_VALUES.key()) == null) {
            assertEquals(2_000_000L, WidenetSettings.number(Setting.KERNELS_MIN_VALUES));
        }
    }

    @Test
    void aValueOutsideTheAllowedOnesIsRefusedNamingTheProperty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> with(Setting.CONV_FORWARD, "fastest", () -> WidenetSettings.value(Setting.CONV_FORWARD)));
        assertEquals("system property widenet.conv.forward = 'fastest': expected direct, nd4j (default direct)",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> with(Setting.KERNELS_MIN_VALUES, "-3", () -> WidenetSettings.number(Setting.KERNELS_MIN_VALUES)));
        assertTrue(e.getMessage().contains("widenet.kernels.minValues = '-3'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> with(Setting.CHECK_FINITE, "yes", () -> WidenetSettings.isOn(Setting.CHECK_FINITE)));
        assertTrue(e.getMessage().contains("expected true, false"), e.getMessage());
    }

    @Test
    void everyKeyIsAWidenetPropertyAndUnique() {
        assertEquals(Setting.values().length, Stream.of(Setting.values()).map(Setting::key).distinct().count());
        for (Setting s : Setting.values()) {
            assertTrue(s.key().startsWith("widenet."), s.key());
            assertTrue(s.choices().isEmpty() || s.choices().contains(s.defaultValue()), s.key());
        }
    }

    @Test
    void readmeHoldsTheGeneratedTable() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        String start = "<!-- settings-table:start -->\n";
        int from = readme.indexOf(start);
        int to = readme.indexOf("<!-- settings-table:end -->");
        assertTrue(from >= 0 && to > from, "README.md must hold the settings table between its markers");
        assertEquals(WidenetSettings.markdownTable(), readme.substring(from + start.length(), to),
                "README.md's settings table is stale: replace it by the output of WidenetSettings's main");
    }

    @Test
    void noOtherClassReadsAWidenetProperty() throws IOException {
        // the owner is the only reader: no System.getProperty("widenet. …") / Boolean.getBoolean elsewhere
        for (Path root : new Path[]{Path.of("src/main/java"), Path.of("../experiment-kit/src/main/java")}) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                    if (f.endsWith("WidenetSettings.java")) {
                        continue;
                    }
                    String src = Files.readString(f);
                    assertFalse(src.contains("\"widenet."), f + " names a widenet.* property itself");
                }
            }
        }
    }
}
