package io.github.widenet.api;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The experiments use the library as its users do: no main source outside {@code dl4j-layers} names a class of
 * {@code io.github.widenet.internal} (the library's own check, {@code PublicApiTest}, keeps its public types from
 * showing one). Read from the modules' sources beside this one.
 */
class LibraryFaceTest {

    private static final Pattern INTERNAL = Pattern.compile("io\\.github\\.widenet\\.internal\\b");

    /** "file:line" of every main-source line outside the library that names an internal package. */
    static List<String> internalUses(Path root) throws IOException {
        TreeSet<String> found = new TreeSet<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(m -> Files.isDirectory(m.resolve("src/main/java"))
                    && !m.getFileName().toString().equals("dl4j-layers")).toList()) {
                try (Stream<Path> files = Files.walk(module.resolve("src/main/java"))) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                        List<String> lines = Files.readAllLines(f);
                        for (int i = 0; i < lines.size(); i++) {
                            if (INTERNAL.matcher(lines.get(i)).find()) {
                                found.add(root.relativize(f) + ":" + (i + 1));
                            }
                        }
                    }
                }
            }
        }
        return List.copyOf(found);
    }

    @Test
    void noExperimentNamesAnInternalClass() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        assertTrue(Files.isDirectory(root.resolve("dl4j-layers/src/main/java")), "not beside the library: " + root);
        assertTrue(Files.isDirectory(root.resolve("experiment-kit/src/main/java")));
        assertEquals(List.of(), internalUses(root), "experiments naming the library's internal classes");
    }

    @Test
    void theCheckFindsAnInternalImport(@org.junit.jupiter.api.io.TempDir Path root) throws IOException {
        Path src = Files.createDirectories(root.resolve("some-experiment/src/main/java/x"));
        Files.writeString(src.resolve("A.java"), "package x;\n\nimport io.github.widenet.internal.wrap.InnerGraph;\n");
        Files.createDirectories(root.resolve("dl4j-layers/src/main/java"));
        Files.writeString(Files.createDirectories(root.resolve("dl4j-layers/src/main/java/y")).resolve("B.java"),
                "import io.github.widenet.internal.wrap.InnerGraph;\n");
        assertEquals(List.of(Path.of("some-experiment/src/main/java/x/A.java") + ":3"), internalUses(root));
    }
}
