package io.github.widenet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's peak resident set size (Linux {@code VmHWM}), which covers ND4J's off-heap buffers too; {@link #reset}
 * starts a new peak (so a phase's peak is measured from its own start, not carried over from earlier phases).
 */
public final class PeakMemory {

    private PeakMemory() {
    }

    /** Peak resident bytes so far, or -1 where /proc/self/status is not available. */
    public static long bytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /**
     * Resets the peak to the current resident size (Linux: "5" written to {@code /proc/self/clear_refs}); returns false
     * where that is not possible (then {@link #bytes} keeps the process-wide peak).
     */
    public static boolean reset() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /** "2.3 GB", or "n/a". */
    public static String describe() {
        long b = bytes();
        return b < 0 ? "n/a" : String.format(java.util.Locale.ROOT, "%.2f GB", b / 1e9);
    }
}
