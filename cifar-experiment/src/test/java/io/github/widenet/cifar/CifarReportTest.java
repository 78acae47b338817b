package io.github.widenet.cifar;

import io.github.widenet.cifar.data.CifarSet;
import io.github.widenet.cifar.data.CifarSource;
import io.github.widenet.report.CsvTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report's conclusions follow its numbers: synthetic per-image predictions over three seeds with and without a gap;
 * the stated differences, intervals, seed counts, agreement and matched-training values are checked against values
 * computed here from the construction (exact differences, normal-approximation intervals).
 */
class CifarReportTest {

    static final int N = 2000;
    static final Mode STANDARD = Mode.lazy(1);
    static final Mode LAZY = Mode.lazy(1000);
    static final Mode LIN = Mode.linearized();

    private static int[] labels() {
        int[] y = new int[N];
        for (int i = 0; i < N; i++) {
            y[i] = i % 10;
        }
        return y;
    }

    /** Predictions right exactly on the images where {@code right} holds, otherwise the next class. */
    private static int[] predictions(IntPredicate right) {
        int[] p = new int[N];
        for (int i = 0; i < N; i++) {
            p[i] = right.test(i) ? i % 10 : (i % 10 + 1) % 10;
        }
        return p;
    }

    private static double accuracy(int[] p) {
        int[] y = labels();
        int k = 0;
        for (int i = 0; i < N; i++) {
            k += p[i] == y[i] ? 1 : 0;
        }
        return (double) k / N;
    }

    /**
     * Two epochs: training accuracies {@code train}; after epoch 1 right on the images with i mod 20 below 20·test1,
     * after epoch 2 the predictions {@code p}.
     */
    private static ModeResult result(Mode m, int[] p, double[] train, double test1, double change) {
        int[] first = predictions(i -> i % 20 < Math.round(20 * test1));
        List<EpochRecord> rs = List.of(
                new EpochRecord(m.label(), 1, train[0], 0.5, accuracy(first), 1.2, change / 2, 0.95, Map.of("0", 0.95),
                        5),
                new EpochRecord(m.label(), 2, train[1], 0.3, accuracy(p), 1.0, change, 0.9, Map.of("0", 0.9), 10));
        return new ModeResult(rs, List.of(first, p), 123_000_000L);
    }

    private static String report(Path out, int[] standard, int[] lazy, int[] lin, OptionalDouble level)
            throws Exception {
        CifarRunConfig config = new CifarRunConfig(64, false, List.of(STANDARD, LAZY, LIN), 2, 32, 0.005, 0.1, 0.9,
                false, 0, 0, 1000, 1, org.deeplearning4j.nn.conf.CNN2DFormat.NCHW);
        List<SeedRun> runs = new ArrayList<>();
        for (long seed = 1; seed <= 3; seed++) {
            Map<Mode, ModeResult> m = new LinkedHashMap<>();
            m.put(STANDARD, result(STANDARD, standard, new double[]{0.75, 0.9}, 0.55, 0.3));
            m.put(LAZY, result(LAZY, lazy, new double[]{0.4, 0.8}, 0.25, 3e-4));
            m.put(LIN, result(LIN, lin, new double[]{0.3, 0.7}, 0.2, 2e-4));
            runs.add(new SeedRun(seed, m, labels()));
        }
        CifarSet tiny = new CifarSet(new byte[CifarSet.PIXELS], new byte[1]);
        CifarSource source = new CifarSource(CifarSource.Kind.EXPLICIT_DIR, "/synthetic",
                CifarSource.Format.BINARY_FILES, false, tiny, tiny);
        new CifarReport(config, source, runs, new io.github.widenet.report.RunOutputs(out), 1000, level).write(new PrintStream(new ByteArrayOutputStream()));
        return Files.readString(out.resolve("report.md"));
    }

    private static String findings(String md) {
        return md.substring(md.indexOf("## Findings"));
    }

    /** Training accuracies come with their Wilson interval on the 1000 training-evaluation images (computed by hand). */
    @Test
    void trainingAccuraciesHaveIntervals(@TempDir Path tmp) throws Exception {
        int[] p = predictions(i -> i % 2 == 0);
        String md = report(tmp, p, p, p, OptionalDouble.empty());
        // 900 of 1000: Wilson 95% = 0.8798–0.9171
        assertTrue(md.contains("| 1 | standard (alpha=1) | 0.9000 | 0.8798–0.9171 |"), md);
        assertTrue(md.contains("| train acc | train acc 95% CI | test acc | test acc 95% CI |"), md);
    }

    @Test
    void equalAccuraciesClaimNoGap(@TempDir Path tmp) throws Exception {
        // the same accuracy (50%) on different images: many discordant images, difference exactly 0
        int[] standard = predictions(i -> (i / 10) % 2 == 0);
        int[] lazy = predictions(i -> (i / 20) % 2 == 0);
        // at training accuracy 0.8 standard and lazy are compared after epoch 2 as well; linearized never gets there
        String md = findings(report(tmp, standard, lazy, lazy.clone(), OptionalDouble.of(0.8)));
        assertFalse(md.contains(" beats ") || md.contains("generalis") || md.contains("significantly lower"), md);
        assertTrue(md.contains("No significant difference between standard (alpha=1) and lazy alpha=1000: +0.0 points")
                && md.contains("a significant gap in 0 of 3 seeds"), md);
        assertTrue(md.contains("lazy alpha=1000 and linearized predict the same class on 100.0% of the 2000 test "
                + "images on average over 3 seeds"), md);
        assertTrue(md.contains("lazy alpha=1000 stays close to w0 (1.00e+03× less movement)"), md);
    }

    @Test
    void aLargeGapIsClaimedWithTheRightNumbers(@TempDir Path tmp) throws Exception {
        int[] standard = predictions(i -> i % 10 < 6);                     // 60%
        int[] lazy = predictions(i -> i % 10 < 3);                         // 30%, a subset: difference exactly 30 points
        int[] lin = lazy.clone();
        for (int i = 9; i < N; i += 10) {
            lin[i] = (lin[i] + 3) % 10;                                    // differs on exactly 10% of the images
        }
        String md = findings(report(tmp, standard, lazy, lin, OptionalDouble.empty()));
        Matcher m = Pattern.compile("standard \\(alpha=1\\) beats lazy alpha=1000 by ([0-9.]+) points \\(95% CI "
                + "([0-9.]+) to ([0-9.]+), paired bootstrap over the 2000 test images of each of 3 seeds, mean over "
                + "seeds; exact McNemar p < 4\\.9e-324 on all seeds' discordant images\\); significant in 3 of 3 seeds\\.")
                .matcher(md);
        assertTrue(m.find(), md);
        assertEquals(30.0, Double.parseDouble(m.group(1)), 1e-9);
        // per image the difference is 1 on 30% of the images, else 0: the mean over 3 seeds has sd sqrt(.3*.7/N/3)
        double half = 100 * 1.96 * Math.sqrt(0.3 * 0.7 / N / 3);
        assertEquals(30.0 - half, Double.parseDouble(m.group(2)), 0.3);
        assertEquals(30.0 + half, Double.parseDouble(m.group(3)), 0.3);
        assertTrue(md.contains("lazy alpha=1000 and linearized predict the same class on 90.0% of the 2000 test images"),
                md);
        // matched training accuracy: the highest level all reach is linearized's best, 0.7; standard reaches it at
        // epoch 1 (test 0.55), the others at epoch 2 (their final test accuracies)
        // at matched training accuracy standard (epoch 1: right where i mod 20 < 11) vs lazy (epoch 2: i mod 10 < 3):
        // only standard right on 7 of every 20 images, only lazy on 2: 25 points
        assertTrue(md.contains("At matched training accuracy: standard (alpha=1) beats lazy alpha=1000 by 25.0 points"),
                md);
        assertTrue(md.contains("At matched training accuracy 0.7000 (the highest training accuracy every mode reaches in "
                + "every seed") && md.contains("standard (alpha=1) 0.5500 (epoch 1, 1, 1), lazy alpha=1000 0.3000 "
                + "(epoch 2, 2, 2), linearized 0.3000 (epoch 2, 2, 2)"), md);
        assertFalse(md.contains("never reaches"), md);

        CsvTable c = CsvTable.read(tmp.resolve("comparisons.csv"));
        assertEquals("0.3", c.get(1, "difference"));                     // seed 2, standard vs lazy
        assertEquals(String.valueOf(N * 3 / 10), c.get(1, "only_a_right"));
        assertEquals("0", c.get(1, "only_b_right"));
        CsvTable p = CsvTable.read(tmp.resolve("predictions.csv"));
        assertEquals(3 * N, p.size());
        assertEquals(String.valueOf(lin[9]), p.get(9, "linearized"));
    }

    @Test
    void aLevelNoModeReachesIsSaid(@TempDir Path tmp) throws Exception {
        int[] p = predictions(i -> i % 2 == 0);
        String md = findings(report(tmp, p, p.clone(), p.clone(), OptionalDouble.of(0.85)));
        assertTrue(md.contains("lazy alpha=1000 never reaches training accuracy 0.8500 in 3 of 3 seeds (seeds 1, 2, 3)")
                && md.contains("linearized never reaches") && !md.contains("standard (alpha=1) never reaches"), md);
        assertTrue(md.contains("as asked (--match-train-accuracy)") && md.contains("standard (alpha=1) 0.5000 (epoch 2, "
                + "2, 2)"), md);
    }
}
