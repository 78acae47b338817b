package io.github.widenet.cifar;

import io.github.widenet.cifar.data.CifarSet;
import io.github.widenet.cifar.data.CifarSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report's conclusions follow its numbers: synthetic results with and without a gap. */
class CifarReportTest {

    private static EpochRecord rec(Mode m, double testAcc, double change) {
        return new EpochRecord(m.label(), 2, 0.9, 0.3, testAcc, 1.0, change, 0.9, Map.of("0", 0.9), 10);
    }

    private static String report(Path out, double standardAcc, double lazyAcc, double linAcc) throws Exception {
        CifarRunConfig config = new CifarRunConfig(64, false, List.of(Mode.lazy(1), Mode.lazy(1000),
                Mode.linearized()), 2, 32, 0.005, 0.1, 0.9, false, 0, 0, 60, 1);
        Map<Mode, List<EpochRecord>> results = new LinkedHashMap<>();
        results.put(Mode.lazy(1), List.of(rec(Mode.lazy(1), standardAcc, 0.3)));
        results.put(Mode.lazy(1000), List.of(rec(Mode.lazy(1000), lazyAcc, 3e-4)));
        results.put(Mode.linearized(), List.of(rec(Mode.linearized(), linAcc, 2e-4)));
        CifarSet tiny = new CifarSet(new byte[CifarSet.PIXELS], new byte[1]);
        CifarSource source = new CifarSource(CifarSource.Kind.EXPLICIT_DIR, "/synthetic",
                CifarSource.Format.BINARY_FILES, false, tiny, tiny);
        new CifarReport(config, source, results, out, 2000).write(new PrintStream(new ByteArrayOutputStream()));
        return Files.readString(out.resolve("report.md"));
    }

    @Test
    void equalAccuraciesClaimNoGap(@TempDir Path tmp) throws Exception {
        String md = report(tmp, 0.5, 0.5, 0.505);
        assertFalse(md.contains("generalises worse") || md.contains("significantly lower"), md);
        assertTrue(md.contains("no significant difference"), md);
        assertTrue(md.contains("do not show lazy training generalising worse"), md);
        assertTrue(md.contains("stays close to w0"), md);   // 3e-4 vs 0.3: 1000x less movement
    }

    @Test
    void aLargeGapIsClaimed(@TempDir Path tmp) throws Exception {
        String md = report(tmp, 0.6, 0.3, 0.31);
        assertTrue(md.contains("lazy alpha=1000 vs standard (alpha=1)") && md.contains("significantly lower"), md);
        assertFalse(md.contains("do not show lazy training generalising worse"), md);
    }

    @Test
    void wilsonIntervalMatchesClosedForms() {
        // 0 of n: [0, z²/(n + z²)]
        WilsonInterval zero = WilsonInterval.of(0, 10);
        double z2 = WilsonInterval.Z95 * WilsonInterval.Z95;
        assertEquals(0, zero.lo(), 1e-15);
        assertEquals(z2 / (10 + z2), zero.hi(), 1e-12);
        // p = 1/2: symmetric around 1/2 with half-width z·√(n/4 + z²/4)/(n + z²)
        WilsonInterval half = WilsonInterval.of(0.5, 100);
        double h = WilsonInterval.Z95 * Math.sqrt(100 / 4.0 + z2 / 4) / (100 + z2);
        assertEquals(0.5 - h, half.lo(), 1e-12);
        assertEquals(0.5 + h, half.hi(), 1e-12);
        assertEquals(0.40383, half.lo(), 1e-5);         // published value for 50/100
    }
}
