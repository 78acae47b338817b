package io.github.widenet.sweep;

import io.github.widenet.train.Sweepable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code sweep teacher-…  --master local[2]}: each teacher–student command found through its {@link Sweepable}
 * service, its runs as Spark tasks, the same numbers as its sequential run; a worker refuses a unit the run does not
 * have.
 */
class SweepTeacherTest {

    private static final String SCALE = "teacher-scale";
    private static final String WIDTH = "teacher-width";
    private static final String POPULATION = "teacher-population";
    private static final String PATHS = "teacher-paths";

    private static List<String> tiny(String name, Path out) {
        List<String> a = new ArrayList<>(switch (name) {
            case SCALE -> List.of("--dim", "5", "--units", "6", "--train", "30", "--test", "20", "--steps", "40",
                    "--tau-points", "3", "--seeds", "2", "--kappa-seeds", "0", "--eval-every", "10");
            case WIDTH -> List.of("--dim", "5", "--widths", "2,3", "--train", "30", "--test", "20", "--iterations",
                    "200", "--window", "50", "--seeds", "2", "--eval-every", "50", "--ntk-step", "0.1");
            case POPULATION -> List.of("--dim", "5", "--units", "4", "--taus", "0.1,1", "--iterations", "200",
                    "--average-last", "50", "--batch-size", "20", "--seeds", "2");
            case PATHS -> List.of("--teacher-units", "2,3", "--units", "6", "--train", "10", "--test", "10", "--steps",
                    "30", "--snapshots", "4");
            default -> throw new IllegalArgumentException(name);
        });
        a.addAll(List.of("--out", out.toString()));
        return a;
    }

    /** The runs.csv without its "seconds" column (wall time differs between runs). */
    private static String numbers(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        int col = List.of(lines.get(0).split(",")).indexOf("seconds");
        return lines.stream().map(l -> {
            List<String> cells = new ArrayList<>(List.of(l.split(",", -1)));
            if (col >= 0) {
                cells.remove(col);
            }
            return String.join(",", cells);
        }).collect(Collectors.joining("\n"));
    }

    private static void sweptEqualsSequential(String name, int tasks, String csv, String unknownTask, Path tmp)
            throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int seq = Sweepable.named(name).commandLine(null, new PrintStream(log, true, StandardCharsets.UTF_8))
                .execute(tiny(name, tmp.resolve("seq")).toArray(String[]::new));
        assertEquals(0, seq, log.toString(StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of(name));
        args.addAll(tiny(name, tmp.resolve("sweep")));
        args.addAll(List.of("--master", "local[2]"));
        int code = Sweep.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8) + printed);
        assertTrue(printed.contains("Sweep: " + tasks + " tasks as Spark tasks on local[2]"), printed);
        assertEquals(numbers(tmp.resolve("seq").resolve(csv)), numbers(tmp.resolve("sweep").resolve(csv)), name);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sweepable.named(name)
                .runTask(tiny(name, tmp.resolve("sweep").toAbsolutePath()), unknownTask, System.out));
        assertTrue(e.getMessage().startsWith("task '" + unknownTask + "' is not one of this run's tasks"),
                e.getMessage());
    }

    @Test
    void sweptScaleEqualsTheSequentialRun(@TempDir Path tmp) throws Exception {
        sweptEqualsSequential(SCALE, 6, "runs.csv", "seed=7,tau=1.00000", tmp);
    }

    @Test
    void sweptWidthEqualsTheSequentialRun(@TempDir Path tmp) throws Exception {
        sweptEqualsSequential(WIDTH, 8, "runs.csv", "ref,ntk,m=99,trial=0", tmp);
    }

    @Test
    void sweptPopulationAndPathsEqualTheSequentialRuns(@TempDir Path tmp) throws Exception {
        sweptEqualsSequential(POPULATION, 4, "runs.csv", "trial=5,tau=0.100000", tmp.resolve("population"));
        sweptEqualsSequential(PATHS, 4, "paths.csv", "m0=9,tau=0.100000", tmp.resolve("paths"));
    }
}
