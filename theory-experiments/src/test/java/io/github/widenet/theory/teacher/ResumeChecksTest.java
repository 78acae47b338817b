package io.github.widenet.theory.teacher;

import io.github.widenet.train.CliErrors;
import io.github.widenet.train.StopSignal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The teacher–student commands keep the run promises (issue 26, rows 1, 2, 4, 5, 22, 23): a resume with an option that
 * changes the numbers is refused naming it and both values; Ctrl-C stops at a unit boundary with exit 3; option
 * combinations that would make the report lie are refused.
 */
class ResumeChecksTest {

    private record Result(int code, String err) {
    }

    private static Result run(Supplier<Object> command, String... args) {
        PrintStream old = System.err;
        PrintStream oldOut = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            return new Result(CliErrors.execute(command.get(), args), buf.toString(StandardCharsets.UTF_8).strip());
        } finally {
            System.setErr(old);
            System.setOut(oldOut);
        }
    }

    /** {@code base} with {@code extra}'s options added, or their values replaced. */
    private static String[] with(String[] base, String... extra) {
        List<String> a = new ArrayList<>(Arrays.asList(base));
        for (int i = 0; i < extra.length; i++) {
            boolean flag = i + 1 == extra.length || extra[i + 1].startsWith("--");
            int at = a.indexOf(extra[i]);
            if (at < 0) {
                a.add(extra[i]);
                if (!flag) {
                    a.add(extra[i + 1]);
                }
            } else if (!flag) {
                a.set(at + 1, extra[i + 1]);
            }
            i += flag ? 0 : 1;
        }
        return a.toArray(String[]::new);
    }

    private static final Supplier<Object> WIDTH = WidthSweep::new;
    private static final Supplier<Object> SCALE = () -> new ScaleSweep().withLog(new PrintStream(new ByteArrayOutputStream()));
    private static final Supplier<Object> PATHS = () -> new PathsExperiment().withLog(new PrintStream(new ByteArrayOutputStream()));

    private static String[] width(Path out) {
        return new String[]{"--protocol", "population", "--dim", "3", "--teacher-units", "2", "--widths", "2,4",
                "--steps", "5", "--batch-size", "5", "--risk-samples", "20", "--seeds", "1", "--out", out.toString()};
    }

    private static String[] widthReference(Path out) {
        return new String[]{"--dim", "3", "--widths", "2,3", "--train", "10", "--test", "5", "--iterations", "30",
                "--window", "10", "--seeds", "1", "--out", out.toString()};
    }

    private static String[] population(Path out) {
        return new String[]{"--dim", "3", "--units", "4", "--taus", "0.5,2", "--iterations", "40", "--average-last", "10",
                "--batch-size", "5", "--seeds", "1", "--out", out.toString()};
    }

    private static final Supplier<Object> POPULATION = () -> new PopulationSweep()
            .withLog(new PrintStream(new ByteArrayOutputStream()));

    private static String[] scale(Path out) {
        return new String[]{"--dim", "3", "--units", "4", "--train", "10", "--test", "10", "--steps", "10",
                "--tau-points", "2", "--seeds", "1", "--eval-every", "5", "--out", out.toString()};
    }

    private static String[] paths(Path out) {
        return new String[]{"--teacher-units", "2", "--units", "4", "--train", "5", "--test", "5", "--steps", "10",
                "--snapshots", "3", "--out", out.toString()};
    }

    @AfterEach
    void clearStop() {
        StopSignal.clear();
    }

    private static void assertRefused(Result r, String option, String saved, String now) {
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("--resume: the run in") && r.err().contains(option + " " + saved + " (now " + now + ")"),
                r.err());
    }

    @Test
    void teacherWidthRefusesAnotherEtaOrStepCountOnResume(@TempDir Path dir) throws Exception {
        String[] base = width(dir.resolve("w"));
        assertEquals(0, run(WIDTH, base).code());
        String manifest = Files.readString(dir.resolve("w/manifest.json"));
        assertRefused(run(WIDTH, with(base, "--resume", "--eta", "0.3")), "--eta", "0.5", "0.3");
        assertRefused(run(WIDTH, with(base, "--resume", "--steps", "800")), "--steps", "5", "800");
        assertEquals(manifest, Files.readString(dir.resolve("w/manifest.json")), "nothing relabelled");
        assertEquals(0, run(WIDTH, with(base, "--resume")).code());
    }

    @Test
    void teacherWidthReferenceAndTeacherPopulationRefuseChangedNumbersOnResume(@TempDir Path dir) throws Exception {
        String[] w = widthReference(dir.resolve("r"));
        assertEquals(0, run(WIDTH, w).code());
        assertRefused(run(WIDTH, with(w, "--resume", "--iterations", "40")), "--iterations", "30", "40");
        assertRefused(run(WIDTH, with(w, "--resume", "--mf-step", "0.1")), "--mf-step", "0.05", "0.1");
        assertEquals(0, run(WIDTH, with(w, "--resume", "--threads", "2")).code(), "threads do not change the numbers");
        String[] p = population(dir.resolve("p"));
        assertEquals(0, run(POPULATION, p).code());
        String manifest = Files.readString(dir.resolve("p/manifest.json"));
        assertRefused(run(POPULATION, with(p, "--resume", "--iterations", "50")), "--iterations", "40", "50");
        assertRefused(run(POPULATION, with(p, "--resume", "--taus", "0.5,3")), "--taus", "[0.5,2.0]", "[0.5,3.0]");
        assertEquals(manifest, Files.readString(dir.resolve("p/manifest.json")), "nothing relabelled");
        assertEquals(0, run(POPULATION, with(p, "--resume")).code());
    }

    @Test
    void aStopRequestEndsTheNewCommandsWithExit3(@TempDir Path dir) {
        StopSignal.received("SIGINT");
        Result r = run(WIDTH, widthReference(dir.resolve("r")));
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().endsWith("continue with ./widenet teacher-width --resume --out " + dir.resolve("r")), r.err());
        r = run(POPULATION, population(dir.resolve("p")));
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().endsWith("continue with ./widenet teacher-population --resume --out " + dir.resolve("p")),
                r.err());
    }

    @Test
    void teacherScaleAndPathsRefuseAnotherStepCountOnResume(@TempDir Path dir) {
        String[] s = scale(dir.resolve("s"));
        assertEquals(0, run(SCALE, s).code());
        assertRefused(run(SCALE, with(s, "--resume", "--steps", "500")), "--steps", "10", "500");
        String[] p = paths(dir.resolve("p"));
        assertEquals(0, run(PATHS, p).code());
        assertRefused(run(PATHS, with(p, "--resume", "--steps", "500")), "--steps", "10", "500");
    }

    @Test
    void aStopRequestEndsTeacherWidthAtAUnitBoundaryWithExit3(@TempDir Path dir) {
        String[] base = width(dir.resolve("w"));
        StopSignal.received("SIGINT");
        Result r = run(WIDTH, base);
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().endsWith("continue with ./widenet teacher-width --resume --out " + dir.resolve("w")), r.err());
    }

    @Test
    void teacherPathsNeedsTwoDistinctTaus(@TempDir Path dir) {
        Result r = run(PATHS, with(paths(dir.resolve("p")), "--taus", "0.1"));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("teacher-paths: invalid value for --taus: [0.1]"), r.err());
        assertEquals(2, run(PATHS, with(paths(dir.resolve("p")), "--taus", "0.1,0.1")).code());
    }

    @Test
    void teacherScaleRefusesMoreKappaSeedsThanSeeds(@TempDir Path dir) {
        Result r = run(SCALE, with(scale(dir.resolve("s")), "--seeds", "2", "--kappa-seeds", "5"));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--kappa-seeds: 5") && r.err().contains("--seeds 2"), r.err());
    }

    /** Issue 26 row 25: a block larger than the images would be labelled B but run as one block of n. */
    @Test
    void ntkBenchRefusesBlocksLargerThanTheImages() {
        Result r = run(NtkBench::new, "--images", "2", "--blocks", "4");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("ntk-bench: invalid value for --blocks: 4 (must be between 1 and --images 2"), r.err());
    }
}
