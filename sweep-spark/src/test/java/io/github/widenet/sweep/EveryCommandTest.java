package io.github.widenet.sweep;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command of the {@code ./widenet} launcher (read from its COMMANDS table, so a new command is covered without
 * touching this test), started as its own JVM the way the launcher starts it: {@code --help} exits 0 and prints the
 * usage without picocli warnings; an unknown option exits 2 with one line naming it; neither prints a stack trace.
 */
class EveryCommandTest {

    /** A line of the launcher's COMMANDS table: name|module|main class|description. */
    private static final Pattern CASE = Pattern.compile("^([a-z0-9-]+)\\|([a-z0-9-]+)\\|([\\w.]+)\\|", Pattern.MULTILINE);

    private static Map<String, String> commands;

    private record Run(int code, String out, String err) {
    }

    /** Command name → main class, from the launcher script. */
    static Map<String, String> launcherCommands(String script) {
        Map<String, String> m = new LinkedHashMap<>();
        Matcher x = CASE.matcher(script);
        while (x.find()) {
            m.put(x.group(1), x.group(3));
        }
        return m;
    }

    @BeforeAll
    static void readLauncher() throws IOException {
        commands = launcherCommands(Files.readString(Path.of("..", "widenet"), StandardCharsets.UTF_8));
        assertTrue(commands.size() >= 13 && commands.containsKey("mnist") && commands.containsKey("sweep"),
                "commands read from the launcher: " + commands);
    }

    private static Run start(String main, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), main));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("widenet-cmd", ".out");
        Path err = Files.createTempFile("widenet-cmd", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(main + " " + List.of(args) + ": still running after 60 s");
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static boolean stackTrace(String s) {
        return s.contains("\tat ") || s.contains("Exception in thread") || s.contains("Caused by:");
    }

    @Test
    void everyCommandAnswersHelpWithExit0AndAnUnknownOptionWithExit2AndOneLine() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Map<String, Future<Run[]>> runs = new LinkedHashMap<>();
            commands.forEach((name, main) -> {
                // sweep takes the experiment first; its unknown option is the experiment's
                String[] bogus = name.equals("sweep") ? new String[]{"mnist", "--bogus-option"}
                        : new String[]{"--bogus-option"};
                runs.put(name, pool.submit(() -> new Run[]{start(main, "--help"), start(main, bogus)}));
            });
            List<String> failures = new ArrayList<>();
            for (Map.Entry<String, Future<Run[]>> e : runs.entrySet()) {
                String name = e.getKey();
                Run help = e.getValue().get()[0];
                Run bogus = e.getValue().get()[1];
                if (help.code() != 0 || !help.out().contains("Usage") && !help.out().contains("usage")
                        || stackTrace(help.out() + help.err()) || help.err().contains("picocli WARN")) {
                    failures.add(name + " --help: exit " + help.code() + "\n" + help.out() + help.err());
                }
                List<String> lines = bogus.err().lines().filter(l -> l.contains("--bogus-option")).toList();
                if (bogus.code() != 2 || lines.size() != 1 || stackTrace(bogus.out() + bogus.err())) {
                    failures.add(name + " --bogus-option: exit " + bogus.code() + "\n" + bogus.out() + bogus.err());
                }
            }
            assertTrue(failures.isEmpty(), String.join("\n----\n", failures));
        } finally {
            pool.shutdownNow();
        }
    }

    /** Issue 26: the sweep's own option errors come before anything of Spark (which logs warnings when it starts). */
    @Test
    void sweepOptionErrorsComeBeforeSpark() throws Exception {
        Run r = start(commands.get("sweep"), "mnist", "--eta", "-1", "--out",
                Files.createTempDirectory("sweep").resolve("run").toString());
        assertEquals(2, r.code(), r.err());
        assertEquals("mnist: --eta: must be a finite number > 0, got -1.0", r.err().lines()
                .filter(l -> !l.startsWith("WARNING: Using incubator modules")).reduce("", (a, b) -> a + b), r.err());
    }

    @Test
    void theLauncherListIsParsedWithItsMainClasses() {
        assertEquals("io.github.widenet.mnist.MnistExperiment", commands.get("mnist"));
        assertFalse(commands.containsKey("help"));
    }
}
