package io.github.widenet.mnist.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    /** A locator whose download only counts calls (and fails, as offline). */
    private static final class CountingDownload implements MnistLocator.Downloader {
        int calls;

        @Override
        public void download() throws IOException {
            calls++;
            throw new IOException("offline (test)");
        }
    }

    @Test
    void unusableEnvironmentSettingIsAnErrorNamingWhatIsMissing(@TempDir Path tmp) throws IOException {
        Path partial = copyEmbedded(tmp.resolve("partial"));
        Files.delete(partial.resolve("t10k-images-idx3-ubyte.gz"));
        Files.delete(partial.resolve("t10k-labels-idx1-ubyte.gz"));
        CountingDownload dl = new CountingDownload();
        MnistLocator locator = new MnistLocator(Map.of(MnistLocator.ENV_VAR, partial.toString()), tmp.resolve("cache"),
                List.of(), dl);
        IOException e = assertThrows(IOException.class, () -> locator.locate(Optional.empty(), false, false));
        String msg = e.getMessage();
        assertTrue(msg.contains(MnistLocator.ENV_VAR) && msg.contains(partial.toString())
                && msg.contains("missing: t10k-images-idx3-ubyte[.gz] t10k-labels-idx1-ubyte[.gz]"), msg);
        assertEquals(0, dl.calls, "no download for an explicit setting");
        assertThrows(IOException.class, () -> locator.locate(Optional.empty(), true, true));
        assertEquals(0, dl.calls, "no download even with --download: the explicit setting is wrong");
    }

    @Test
    void downloadsOnlyWhenAsked(@TempDir Path tmp) throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty-dir"));
        CountingDownload dl = new CountingDownload();
        MnistLocator locator = new MnistLocator(Map.of(), tmp.resolve("cache"), List.of(), dl);
        // an explicit directory without the files: an error, never a download
        IOException e = assertThrows(IOException.class, () -> locator.locate(Optional.of(empty), true, true));
        assertTrue(e.getMessage().contains("empty-dir") && e.getMessage().contains("train-images-idx3-ubyte"),
                e.getMessage());
        assertEquals(0, dl.calls);
        // nothing found, full data required, no --download: instructions, no download
        e = assertThrows(IOException.class, () -> locator.locate(Optional.empty(), true, false));
        assertTrue(e.getMessage().contains("--download") && e.getMessage().contains("--data-dir"), e.getMessage());
        assertEquals(0, dl.calls);
        // nothing found and no requirement: the embedded subset, still no download
        assertEquals(MnistSource.Kind.EMBEDDED, locator.locate(Optional.empty(), false, false).kind());
        assertEquals(0, dl.calls);
        // asked to download: it tries (and reports the failure)
        e = assertThrows(IOException.class, () -> locator.locate(Optional.empty(), false, true));
        assertEquals(1, dl.calls);
        assertTrue(e.getMessage().contains("offline (test)"), e.getMessage());
    }
}
