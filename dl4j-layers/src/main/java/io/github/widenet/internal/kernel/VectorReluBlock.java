package io.github.widenet.internal.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.IntStream;

/**
 * The Vector API loops behind {@link ReluBlockKernels} (the only class that touches {@code jdk.incubator.vector}, so
 * a JVM without the module never loads it). Buffers are native-order views of float32 arrays; indices in floats.
 */
final class VectorReluBlock {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /** Units per block of the backward pass: C's and ∂L/∂C's block (k × 512 floats each) stay in the core's cache. */
    static final int UNITS_PER_BLOCK = 512;
    /** Below this many hidden values a pass runs on the calling thread alone. */
    private static final long PARALLEL_MIN = 1 << 16;

    private VectorReluBlock() {
    }

    static void touch() {
        FloatVector.zero(SPECIES);
    }

    /** a[r, j] = max(z[r, j] + b[j], 0) for a rows × m row-major. */
    static void biasRelu(ByteBuffer z, ByteBuffer b, ByteBuffer a, int rows, int m) {
        int chunks = Math.min(rows, 4 * Runtime.getRuntime().availableProcessors());
        forEach(chunks, (long) rows * m, chunk -> {
            int r0 = (int) ((long) rows * chunk / chunks);
            int r1 = (int) ((long) rows * (chunk + 1) / chunks);
            int bound = SPECIES.loopBound(m);
            for (int r = r0; r < r1; r++) {
                int row = r * m;
                int j = 0;
                for (; j < bound; j += SPECIES.length()) {
                    FloatVector.fromByteBuffer(SPECIES, z, (row + j) * Float.BYTES, ORDER)
                            .add(FloatVector.fromByteBuffer(SPECIES, b, j * Float.BYTES, ORDER))
                            .max(0f)
                            .intoByteBuffer(a, (row + j) * Float.BYTES, ORDER);
                }
                for (; j < m; j++) {
                    float v = z.getFloat((row + j) * Float.BYTES) + b.getFloat(j * Float.BYTES);
                    a.putFloat((row + j) * Float.BYTES, Math.max(v, 0f));
                }
            }
        });
    }

    /**
     * dz[r, j] = 1[a[r, j] &gt; 0]·Σ_q s·eps[r, q]·c[j, q]; gradB[j] = Σ_r dz[r, j];
     * gradC[j, q] = Σ_r a[r, j]·s·eps[r, q]. a, dz: rows × m row-major; c, gradC: m × k column-major (so row q of Cᵀ
     * is contiguous); eps rows × k row-major. Blocks of units run in parallel; each keeps its slice of C, ∂L/∂C and
     * ∂L/∂b on the heap while it sweeps the rows.
     */
    static void backward(ByteBuffer a, ByteBuffer c, float[] eps, float s, ByteBuffer dz, ByteBuffer gradB,
                         ByteBuffer gradC, int rows, int m, int k) {
        float[] es = new float[eps.length];
        for (int i = 0; i < es.length; i++) {
            es[i] = s * eps[i];
        }
        int blocks = (m + UNITS_PER_BLOCK - 1) / UNITS_PER_BLOCK;
        forEach(blocks, (long) rows * m, block -> backwardBlock(a, c, es, dz, gradB, gradC, rows, m, k, block));
    }

    private static void backwardBlock(ByteBuffer a, ByteBuffer c, float[] es, ByteBuffer dz, ByteBuffer gradB,
                                      ByteBuffer gradC, int rows, int m, int k, int block) {
        int j0 = block * UNITS_PER_BLOCK;
        int len = Math.min(m, j0 + UNITS_PER_BLOCK) - j0;
        int bound = SPECIES.loopBound(len);
        float[] ct = new float[k * len];                 // Cᵀ's columns j0 … j0 + len, row q at q·len
        for (int q = 0; q < k; q++) {
            for (int j = 0; j < len; j++) {
                ct[q * len + j] = c.getFloat((q * m + j0 + j) * Float.BYTES);
            }
        }
        float[] gct = new float[k * len];                // ∂L/∂Cᵀ, same layout
        float[] gb = new float[len];
        for (int r = 0; r < rows; r++) {
            int row = r * m + j0;
            int e = r * k;
            int j = 0;
            for (; j < bound; j += SPECIES.length()) {
                FloatVector av = FloatVector.fromByteBuffer(SPECIES, a, (row + j) * Float.BYTES, ORDER);
                FloatVector acc = FloatVector.zero(SPECIES);
                for (int q = 0; q < k; q++) {
                    FloatVector eq = FloatVector.broadcast(SPECIES, es[e + q]);
                    acc = FloatVector.fromArray(SPECIES, ct, q * len + j).fma(eq, acc);
                    av.fma(eq, FloatVector.fromArray(SPECIES, gct, q * len + j)).intoArray(gct, q * len + j);
                }
                FloatVector d = FloatVector.zero(SPECIES).blend(acc, av.compare(VectorOperators.GT, 0f));
                d.intoByteBuffer(dz, (row + j) * Float.BYTES, ORDER);
                FloatVector.fromArray(SPECIES, gb, j).add(d).intoArray(gb, j);
            }
            for (; j < len; j++) {
                float av = a.getFloat((row + j) * Float.BYTES);
                float acc = 0f;
                for (int q = 0; q < k; q++) {
                    acc = Math.fma(ct[q * len + j], es[e + q], acc);
                    gct[q * len + j] = Math.fma(av, es[e + q], gct[q * len + j]);
                }
                float d = av > 0f ? acc : 0f;
                dz.putFloat((row + j) * Float.BYTES, d);
                gb[j] += d;
            }
        }
        for (int j = 0; j < len; j++) {
            gradB.putFloat((j0 + j) * Float.BYTES, gb[j]);
        }
        for (int q = 0; q < k; q++) {
            for (int j = 0; j < len; j++) {
                gradC.putFloat((q * m + j0 + j) * Float.BYTES, gct[q * len + j]);
            }
        }
    }

    /** body(0), …, body(n − 1): on the calling thread for a pass over fewer than {@link #PARALLEL_MIN} values. */
    static void forEach(int n, long values, java.util.function.IntConsumer body) {
        if (n == 1 || values < PARALLEL_MIN) {
            for (int i = 0; i < n; i++) {
                body.accept(i);
            }
        } else {
            IntStream.range(0, n).parallel().forEach(body);
        }
    }
}
