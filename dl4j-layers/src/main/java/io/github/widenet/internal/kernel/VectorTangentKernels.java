package io.github.widenet.internal.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The Vector API loops behind {@link TangentKernels} (with {@link VectorReluBlock}, the only classes that touch
 * {@code jdk.incubator.vector}). Buffers are native-order views of float32 arrays; indices in floats.
 */
final class VectorTangentKernels {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private VectorTangentKernels() {
    }

    /**
     * In place: a[r, j] = m(h0[r, j]) · (sw·(a[r, j] + c[r, j]) + sb·bias), with m(h) = 1[h &gt; 0] when h0 is
     * given (ReLU) and 1 otherwise, for rows × cols row-major arrays; the bias is bias[j] per column
     * ({@code biasPerColumn}, NHWC) or bias[r mod channels] per row (NCHW planes). c, bias, h0 may be null (absent).
     * With sw = 1 the product is skipped, so the sums round as a + c + sb·bias.
     */
    static void affineTangent(ByteBuffer a, ByteBuffer c, float sw, ByteBuffer bias, float sb, ByteBuffer h0,
                              int rows, int cols, boolean biasPerColumn, int channels) {
        int chunks = Math.min(rows, 4 * Runtime.getRuntime().availableProcessors());
        VectorReluBlock.forEach(chunks, (long) rows * cols, chunk -> {
            int r0 = (int) ((long) rows * chunk / chunks);
            int r1 = (int) ((long) rows * (chunk + 1) / chunks);
            int bound = SPECIES.loopBound(cols);
            int step = SPECIES.length();
            for (int r = r0; r < r1; r++) {
                long row = (long) r * cols;
                float rowBias = bias == null || biasPerColumn ? 0f : sb * bias.getFloat((r % channels) * Float.BYTES);
                int j = 0;
                for (; j < bound; j += step) {
                    int at = (int) ((row + j) * Float.BYTES);
                    FloatVector v = FloatVector.fromByteBuffer(SPECIES, a, at, ORDER);
                    if (c != null) {
                        v = v.add(FloatVector.fromByteBuffer(SPECIES, c, at, ORDER));
                    }
                    if (sw != 1f) {
                        v = v.mul(sw);
                    }
                    if (bias != null) {
                        v = biasPerColumn
                                ? v.add(FloatVector.fromByteBuffer(SPECIES, bias, j * Float.BYTES, ORDER).mul(sb))
                                : v.add(rowBias);
                    }
                    if (h0 != null) {
                        VectorMask<Float> off = FloatVector.fromByteBuffer(SPECIES, h0, at, ORDER)
                                .compare(VectorOperators.GT, 0f).not();
                        v = v.blend(0f, off);
                    }
                    v.intoByteBuffer(a, at, ORDER);
                }
                for (; j < cols; j++) {
                    int at = (int) ((row + j) * Float.BYTES);
                    float v = a.getFloat(at);
                    if (c != null) {
                        v += c.getFloat(at);
                    }
                    if (sw != 1f) {
                        v *= sw;
                    }
                    if (bias != null) {
                        v += biasPerColumn ? sb * bias.getFloat(j * Float.BYTES) : rowBias;
                    }
                    if (h0 != null && !(h0.getFloat(at) > 0f)) {
                        v = 0f;
                    }
                    a.putFloat(at, v);
                }
            }
        });
    }
}
