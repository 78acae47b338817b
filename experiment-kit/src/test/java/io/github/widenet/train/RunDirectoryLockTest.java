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
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RunDirectory.choose(run, "t", true, false));
            assertTrue(e.getMessage().contains("in use by another running process"), e.getMessage());
        } finally {
            child.getOutputStream().close();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(run, RunDirectory.choose(run, "t", false, false), "free once the first process ended");
        assertEquals(run, RunDirectory.choose(run, "t", false, false), "this JVM may choose it again");
    }
}
