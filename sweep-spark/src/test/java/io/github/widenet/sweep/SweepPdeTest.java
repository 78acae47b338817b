package io.github.widenet.sweep;

import io.github.widenet.report.CsvTable;
import io.github.widenet.train.Sweepable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code sweep pde --master local[2]}: the PDE experiment found through its {@link Sweepable} service, its SGD runs as
 * Spark tasks, the same numbers as the sequential run; a worker refuses a unit the run does not have.
 */
class SweepPdeTest {

    private static List<String> tiny(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("--widths", "20,40", "--seeds", "2", "--horizon", "0.4",
                "--record-every", "0.2", "--panels", "0,0.4", "--eps", "1e-3", "--batch", "20", "--eps-check", "0.5",
                "--particles", "200", "--pde-dt", "0.05", "--test-size", "200", "--floor-reps", "30", "--bins", "10",
                "--no-verify", "--pde-horizon", "0", "--eps-at", "40=5e-4", "--out", out.toString()));
        a.addAll(List.of(extra));
        return a;
    }

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome sweep(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Sweep.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void sweptPdeEqualsTheSequentialRun(@TempDir Path tmp) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int seq = Sweepable.named("pde").commandLine(null, new PrintStream(log, true, StandardCharsets.UTF_8))
                .execute(tiny(tmp.resolve("seq")).toArray(String[]::new));
        assertEquals(0, seq, log.toString(StandardCharsets.UTF_8));
        List<String> args = new ArrayList<>(List.of("pde"));
        args.addAll(tiny(tmp.resolve("sweep")));
        args.addAll(List.of("--master", "local[2]"));
        Outcome s = sweep(args);
        assertEquals(0, s.code(), s.err() + s.out());
        assertTrue(s.out().contains("Sweep: 5 tasks as Spark tasks on local[2]"), s.out());   // 2 widths × 2 seeds + ε check
        CsvTable a = CsvTable.read(tmp.resolve("seq/w1.csv"));
        CsvTable b = CsvTable.read(tmp.resolve("sweep/w1.csv"));
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i, "w1_sgd_pde"), b.get(i, "w1_sgd_pde"), "row " + i);
            assertEquals(a.get(i, "sgd_test_risk"), b.get(i, "sgd_test_risk"), "row " + i);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sweepable.named("pde")
                .runTask(tiny(tmp.resolve("sweep").toAbsolutePath()), "sgd-N99-seed1-eps1.0E-3", System.out));
        assertTrue(e.getMessage().startsWith("task 'sgd-N99-seed1-eps1.0E-3' is not one of this run's tasks"),
                e.getMessage());
    }
}
