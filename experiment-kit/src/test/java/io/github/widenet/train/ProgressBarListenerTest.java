package io.github.widenet.train;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressBarListenerTest {

    @Test
    void plainModePrintsRateLimitedLinesWithEta() {
        AtomicLong now = new AtomicLong(0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBarListener bar = new ProgressBarListener("mf m=1000", 100, new PrintStream(bytes, true), false, 10,
                now::get);
        for (int step = 1; step <= 100; step++) {
            now.addAndGet(1_000_000_000L);      // one step per second
            bar.step(step, 1.0 / step, 50);
        }
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        // first step, then every 10 s, then the last step
        assertEquals(11, lines.length, String.join("\n", lines));
        assertTrue(lines[0].startsWith("mf m=1000 ["), lines[0]);
        // at step 11: 10 steps in the 10 s since step 1 reported → 1 s/step, 89 left
        assertTrue(lines[1].contains(" 11/100 elapsed 0:10 ETA 1:29"), lines[1]);
        assertTrue(lines[10].contains("100% 100/100"), lines[10]);
        assertTrue(lines[10].contains("loss 0.0100"), lines[10]);
        assertTrue(lines[10].contains("ETA 0:00"), lines[10]);
    }

    @Test
    void resumedBarCountsRateFromTheResumePoint() {
        AtomicLong now = new AtomicLong(0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBarListener bar = new ProgressBarListener("x", 1000, new PrintStream(bytes, true), false, 1000,
                now::get).startAt(900);
        now.set(0);
        bar.step(901, 0.5, 10);
        now.set(50_000_000_000L);
        bar.step(951, 0.5, 500);     // 50 steps of 10 examples since the last report
        // 50 steps in the 50 s after the first reported step: 1 s/step, 49 left
        String line = bar.line(now.get());
        assertTrue(line.contains("951/1000") && line.contains("ETA 0:49") && line.contains(" 10 ex/s"), line);
    }

    @Test
    void terminalModeRedrawsInPlace() {
        AtomicLong now = new AtomicLong(0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBarListener bar = new ProgressBarListener("t", 3, new PrintStream(bytes, true), true, 10, now::get);
        for (int i = 1; i <= 3; i++) {
            now.addAndGet(300_000_000L);
            bar.step(i, 0.1, 1);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("\r") && out.endsWith("\n"), out);
        assertEquals(1, out.chars().filter(c -> c == '\n').count());
    }

    @Test
    void clockFormat() {
        assertEquals("0:05", ProgressBarListener.clockTime(5));
        assertEquals("2:03", ProgressBarListener.clockTime(123));
        assertEquals("1:00:01", ProgressBarListener.clockTime(3601));
    }
}
