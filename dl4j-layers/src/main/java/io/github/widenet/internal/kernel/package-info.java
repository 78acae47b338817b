/**
 * Internal: fused element-wise kernels written with the JDK's Vector API (module {@code jdk.incubator.vector}, added to
 * the JVM with {@code --add-modules jdk.incubator.vector}); {@link io.github.widenet.internal.kernel.ReluBlockKernels}
 * says whether they can be used and falls back to nothing itself — callers keep their ND4J path.
 */
package io.github.widenet.internal.kernel;
