package io.github.widenet.mnist.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MnistLocatorTest {

    /** Copies the embedded subset's four files into {@code dir} (a small, real, valid MNIST directory). */
    static Path copyEmbedded(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String f : MnistLocator.FILES) {
            try (InputStream in = MnistLocator.class.getResourceAsStream(MnistLocator.EMBEDDED + f + ".gz")) {
                Files.copy(in, dir.resolve(f + ".gz"));
            }
        }
        return dir;
    }

    @Test
    void explicitDirectoryBeatsEnvironmentWhichBeatsCacheWhichBeatsEmbedded(@TempDir Path tmp) throws IOException {
        Path explicit = copyEmbedded(tmp.resolve("explicit"));
        Path envParent = tmp.resolve("env");
        copyEmbedded(envParent.resolve("mnist"));                 // WIDENET_DATA may point at a parent with mnist/
        Path cache = copyEmbedded(tmp.resolve("cache"));
        Map<String, String> env = Map.of(MnistLocator.ENV_VAR, envParent.toString());

        assertEquals(MnistSource.Kind.EXPLICIT_DIR,
                new MnistLocator(env, cache).locate(Optional.of(explicit), false).kind());
        MnistSource fromEnv = new MnistLocator(env, cache).locate(Optional.empty(), false);
        assertEquals(MnistSource.Kind.ENV, fromEnv.kind());
        assertTrue(fromEnv.location().endsWith("mnist"));
        assertEquals(MnistSource.Kind.DL4J_CACHE,
                new MnistLocator(Map.of(), cache).locate(Optional.empty(), false).kind());
        MnistSource embedded = new MnistLocator(Map.of(), tmp.resolve("empty")).locate(Optional.empty(), false);
        assertEquals(MnistSource.Kind.EMBEDDED, embedded.kind());
        assertTrue(embedded.description().contains("embedded MNIST subset"), embedded.description());
        assertEquals(10_000, embedded.summary().get("trainExamples"));
    }

    @Test
    void explicitDirectoryWithoutFilesFailsOfflineWithInstructions(@TempDir Path tmp) throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("nothing-here"));
        Files.write(empty.resolve("train-images-idx3-ubyte.gz"), new byte[0]);
        // DL4J's MNIST mirror is unreachable from this machine: the locator must explain, not hang or return a subset
        System.setProperty("org.deeplearning4j.resources.baseurl", "http://127.0.0.1:9/");
        try {
            IOException e = assertThrows(IOException.class,
                    () -> new MnistLocator(Map.of(), tmp.resolve("cache")).locate(Optional.of(empty), false));
            String msg = e.getMessage();
            assertTrue(msg.contains("nothing-here") && msg.contains("t10k-labels-idx1-ubyte")
                    && msg.contains("--data-dir") && msg.contains(MnistLocator.ENV_VAR), msg);
        } finally {
            System.clearProperty("org.deeplearning4j.resources.baseurl");
        }
    }
}
