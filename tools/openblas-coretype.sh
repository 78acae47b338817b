# Sourced by ./widenet and .ci/run. OpenBLAS 0.3.19 (the BLAS inside ND4J 1.0.0-M2.1) does not know CPUs released after
# it (e.g. Intel Sapphire Rapids) and falls back to its Prescott (SSE3) kernels: ND4J's sgemm then runs about 5x slower
# (measured on 2 cores: 28-45 GFLOP/s vs 148-186 GFLOP/s with OPENBLAS_CORETYPE=SkylakeX). When the CPU has AVX-512
# and the user has not chosen a core type, use OpenBLAS's AVX-512 kernels. An explicit OPENBLAS_CORETYPE is kept.
if [ -z "${OPENBLAS_CORETYPE+x}" ] && grep -qw avx512f /proc/cpuinfo 2>/dev/null; then
  export OPENBLAS_CORETYPE=SkylakeX
fi
