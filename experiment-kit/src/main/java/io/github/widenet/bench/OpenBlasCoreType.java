package io.github.widenet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether ND4J's OpenBLAS is likely on its slow fallback kernels. OpenBLAS 0.3.19 (inside ND4J 1.0.0-M2.1) does not
 * recognise CPUs released after it (e.g. Intel Sapphire Rapids) and runs its Prescott (SSE3) kernels there: sgemm far
 * below the machine's rate (results/bench/openblas-coretype.txt). {@code OPENBLAS_CORETYPE=SkylakeX} set before the JVM
 * starts selects its AVX-512 kernels; {@code ./widenet} and {@code .ci/run} do that (tools/openblas-coretype.sh).
 */
public final class OpenBlasCoreType {

    private OpenBlasCoreType() {
    }

    /** The warning for this machine and process, if any. */
    public static Optional<String> warning() {
        String cpuinfo;
        try {
            cpuinfo = Files.readString(Path.of("/proc/cpuinfo"));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
        return warning(cpuinfo, System.getenv("OPENBLAS_CORETYPE"));
    }

    /**
     * @param cpuinfo the text of /proc/cpuinfo
     * @param coreType the value of OPENBLAS_CORETYPE, or null when unset
     */
    static Optional<String> warning(String cpuinfo, String coreType) {
        if (coreType != null) {
            return Optional.empty();
        }
        boolean avx512 = cpuinfo.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("flags")).findFirst()
                .map(l -> Arrays.asList(l.substring(l.indexOf(':') + 1).trim().split("\\s+")).contains("avx512f"))
                .orElse(false);
        if (!avx512) {
            return Optional.empty();
        }
        return Optional.of("OPENBLAS_CORETYPE is unset on an AVX-512 CPU: ND4J's OpenBLAS 0.3.19 may not recognise "
                + "this CPU and run its Prescott kernels (sgemm about 5x slower). Start the JVM with "
                + "OPENBLAS_CORETYPE=SkylakeX (./widenet does).");
    }

    /** The environment value for manifests: the core type, or "(unset)". */
    public static String setting() {
        return Optional.ofNullable(System.getenv("OPENBLAS_CORETYPE")).orElse("(unset)");
    }
}
