package io.github.widenet.train;

import java.util.Locale;

/**
 * The check, before any data is read, that a run's arrays can fit at all: ND4J allocates off the Java heap up to
 * JavaCPP's limit (-Dorg.bytedeco.javacpp.maxbytes, by default the heap's -Xmx), and an allocation beyond what the machine
 * has ends in a native {@code std::bad_alloc} instead of an error. A lower bound on the bytes a run needs above that
 * limit is an invalid option naming the value, the need and the limit.
 */
public final class MemoryCheck {

    private MemoryCheck() {
    }

    /**
     * Throws an {@link IllegalArgumentException} when {@code count} values of {@code bytesEach} bytes exceed the
     * memory ND4J may use: "--widths: needs at least 12.7 TB for the widest network's parameters and gradients, but this
     * JVM may allocate 8.6 GB (-Xmx, -Dorg.bytedeco.javacpp.maxbytes)".
     */
    public static void parameters(String option, long count, String what, int bytesEach) {
        double need = (double) count * bytesEach;
        long limit = limit();
        if (need > limit) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: needs at least %s for %s (%,d values of %d bytes), "
                    + "but this JVM may allocate %s (-Xmx, -Dorg.bytedeco.javacpp.maxbytes)", option, bytes(need), what,
                    count, bytesEach, bytes(limit)));
        }
    }

    /** The bytes ND4J may allocate: JavaCPP's maxbytes, or the JVM's max heap when it is not set. */
    static long limit() {
        String v = System.getProperty("org.bytedeco.javacpp.maxbytes");
        if (v != null) {
            try {
                return parseSize(v);
            } catch (NumberFormatException e) {
                // JavaCPP itself then falls back to the heap limit
            }
        }
        return Runtime.getRuntime().maxMemory();
    }

    /** "8G", "512m", "1000000" as bytes. */
    static long parseSize(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        long unit = switch (t.isEmpty() ? ' ' : t.charAt(t.length() - 1)) {
            case 't' -> 1L << 40;
            case 'g' -> 1L << 30;
            case 'm' -> 1L << 20;
            case 'k' -> 1L << 10;
            default -> 1;
        };
        return Long.parseLong(unit == 1 ? t : t.substring(0, t.length() - 1)) * unit;
    }

    private static String bytes(double b) {
        String[] units = {"B", "KB", "MB", "GB", "TB", "PB", "EB"};
        int u = 0;
        while (b >= 1000 && u < units.length - 1) {
            b /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", b, units[u]);
    }
}
