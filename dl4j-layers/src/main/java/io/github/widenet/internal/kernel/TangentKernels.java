package io.github.widenet.internal.kernel;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * A fused float32 pass of the tangent (JVP) rules, one sweep instead of ND4J's three to six:
 * <pre>
 *   affine + activation:  ḣ = m(h0) ⊙ (s_w·(ż₁ + ż₂) + s_b·δb)      m = 1[h0 &gt; 0] (ReLU) or 1 (identity)
 * </pre>
 * (ż₁ = δW ⋆ x0 and ż₂ = W0 ⋆ ẋ of a convolution). The affine pass does the same float operations in the same order as
 * the ND4J rules it replaces (sum, scale, bias, mask), so its results equal theirs bit for bit (a masked zero may differ in
 * sign: ND4J multiplies by 0). A max-pooling pass written the same way (compare each window cell with h0, blend ẋ) was
 * fast on VGG-11 ÷4's largest pooling alone but fell back to the Vector API's Java code inside a training step (far
 * slower than ND4J's ops; results/bench/wrapper-cost/), and a scalar loop was slower than ND4J too; pooling keeps its
 * ND4J rule. Runs on the JDK's Vector API when {@link ReluBlockKernels#available()}; callers keep their ND4J path
 * otherwise (and for other dtypes and layouts).
 */
public final class TangentKernels {

    private TangentKernels() {
    }

    /** Whether {@link #affine} takes these arrays (null: absent). */
    public static boolean affineFits(INDArray zDot, INDArray zDot2, INDArray bias, INDArray h0, boolean nhwc) {
        if (!ReluBlockKernels.available() || zDot.rank() != 4 || !dense(zDot)) {
            return false;
        }
        long channels = zDot.size(nhwc ? 3 : 1);
        return (zDot2 == null || dense(zDot2) && zDot2.equalShapes(zDot) && zDot2 != zDot)
                && (h0 == null || dense(h0) && h0.equalShapes(zDot))
                && (bias == null || bias.dataType() == DataType.FLOAT && bias.length() == channels
                && bias.elementWiseStride() == 1);
    }

    /**
     * In place into {@code zDot}: zDot = m(h0) ⊙ (sw·(zDot + zDot2) + sb·bias) for a rank-4 activation in NHWC
     * ({@code nhwc}) or NCHW, bias per channel; zDot2, bias and h0 may be null (absent term; no mask).
     */
    public static void affine(INDArray zDot, INDArray zDot2, double sw, INDArray bias, double sb, INDArray h0,
                              boolean nhwc) {
        if (!affineFits(zDot, zDot2, bias, h0, nhwc)) {
            throw new IllegalArgumentException("TangentKernels.affine: the arrays do not fit the kernel (shapes "
                    + Arrays.toString(zDot.shape()) + ")" + (ReluBlockKernels.available() ? "" : ": "
                    + ReluBlockKernels.problem()));
        }
        long[] s = zDot.shape();
        int channels = (int) (nhwc ? s[3] : s[1]);
        int rows = (int) (nhwc ? s[0] * s[1] * s[2] : s[0] * s[1]);
        int cols = (int) (nhwc ? s[3] : s[2] * s[3]);
        VectorTangentKernels.affineTangent(ReluBlockKernels.bytes(zDot), zDot2 == null ? null : ReluBlockKernels.bytes(zDot2),
                (float) sw, bias == null ? null : ReluBlockKernels.bytes(bias), (float) sb,
                h0 == null ? null : ReluBlockKernels.bytes(h0), rows, cols, nhwc, channels);
    }

    private static boolean dense(INDArray x) {
        return x.dataType() == DataType.FLOAT && x.ordering() == 'c' && x.elementWiseStride() == 1 && !x.isView()
                && x.length() < Integer.MAX_VALUE / Float.BYTES;
    }
}
