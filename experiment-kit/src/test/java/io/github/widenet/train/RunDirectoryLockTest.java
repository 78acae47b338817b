package io.github.widenet.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two processes never train into one run directory: the second is refused while the first runs. */
class RunDirectoryLockTest {

    /** Child process: takes the run directory as a main would, says so, and holds it until stdin closes. */
    public static void main(String[] args) throws Exception {
        RunDirectory.choose(Path.of(args[0]), "t", false, false);
        System.out.println("locked");
        System.out.flush();
        System.in.read();
    }

    @Test
    void aSecondProcessIsRefusedUntilTheFirstEnds(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), RunDirectoryLockTest.class.getName(), run.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            do {
                line = r.readLine();
            } while (line != null && !line.equals("locked"));
            assertEquals("locked", line, "child did not lock the directory");
            java.nio.file.Files.writeString(java.nio.file.Files.createDirectories(run.resolve("checkpoints"))
                    .resolve("done-x.json"), "{}");
            for (boolean resume : new boolean[]{true, false}) {   // --resume, and --overwrite (which would delete)
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> RunDirectory.choose(run, "t", resume, !resume));
                assertTrue(e.getMessage().contains("in use by another running process"), e.getMessage());
            }
            assertTrue(java.nio.file.Files.exists(run.resolve("checkpoints/done-x.json")), "nothing deleted");
        } finally {
            child.getOutputStream().close();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(run, RunDirectory.choose(run, "t", true, false), "free once the first process ended");
        assertEquals(run, RunDirectory.choose(run, "t", true, false), "this JVM may choose it again");
    }
}
