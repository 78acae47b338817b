package io.github.widenet.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenBlasCoreTypeTest {

    private static final String AVX512 = "processor\t: 0\nmodel name\t: Intel(R) Xeon(R) Processor\n"
            + "flags\t\t: fpu sse sse2 avx avx2 fma avx512f avx512dq avx512bw\n";
    private static final String AVX2 = "processor\t: 0\nmodel name\t: AMD EPYC\nflags\t\t: fpu sse avx avx2 fma\n";
    private static final String AVX512_PREFIX_ONLY = "flags\t\t: fpu avx2 avx512fx\n";

    @Test
    void warnsOnlyForAnAvx512CpuWithoutACoreType() {
        assertTrue(OpenBlasCoreType.warning(AVX512, null).orElseThrow().contains("OPENBLAS_CORETYPE=SkylakeX"));
        assertFalse(OpenBlasCoreType.warning(AVX512, "SkylakeX").isPresent());
        assertFalse(OpenBlasCoreType.warning(AVX512, "").isPresent());
        assertFalse(OpenBlasCoreType.warning(AVX2, null).isPresent());
        assertFalse(OpenBlasCoreType.warning(AVX512_PREFIX_ONLY, null).isPresent());
        assertFalse(OpenBlasCoreType.warning("", null).isPresent());
    }
}
