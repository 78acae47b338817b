package io.github.widenet.internal.kernel;

import org.bytedeco.javacpp.BytePointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Fused float32 passes of a ReLU block y = s·σ(x·W + b)·C (σ = max(·, 0); B examples, m units, k outputs), each one
 * sweep over the B × m hidden arrays instead of ND4J's three to five:
 * <pre>
 *   forward:   A = max(Z + b, 0)                                   (Z = x·W, computed by the caller's gemm)
 *   backward:  ∂L/∂Z = 1[A &gt; 0] ⊙ (s·ε·Cᵀ),   ∂L/∂b = 1ᵀ·∂L/∂Z,   ∂L/∂C = s·Aᵀ·ε       (ε = ∂L/∂y, B × k)
 * </pre>
 * The mask comes from A: max(z, 0) &gt; 0 exactly when z &gt; 0. Results equal ND4J's ops up to float rounding (the
 * sums run in another order). Callers take them from {@link #MIN_VALUES} hidden values on ({@link #pays}). Runs on the
 * JDK's Vector API; {@link #problem()} says why not when the JVM lacks {@code --add-modules jdk.incubator.vector} or
 * {@code widenet.kernels.disable=true}, and callers then keep their ND4J path. Both passes beat ND4J's ops (backward:
 * two gemms, step, product, row sums) at m = 10,000 and 250,000, batch 100; {@code ./widenet bench} times whole steps
 * with and without them.
 */
public final class ReluBlockKernels {


    /**
     * Below this many hidden values (8 MB of floats) ND4J's passes run in cache and the kernels did not pay; above it
     * they did: InPlaceSgd steps with against without them ({@code ./widenet bench}, m = 1,000 to 250,000; runs with
     * the kernels at every width in results/bench/interim/).
     */
    public static final long MIN_VALUES = Long.parseLong(
            io.github.widenet.layers.WidenetSettings.Setting.KERNELS_MIN_VALUES.defaultValue());

    private static final String MODULE = "jdk.incubator.vector";

    private ReluBlockKernels() {
    }

    private static final class Holder {
        static final String PROBLEM = load();

        private static String load() {
            if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
                return "the JVM runs without module " + MODULE + " (add --add-modules " + MODULE + ")";
            }
            try {
                VectorReluBlock.touch();
                return null;
            } catch (Throwable t) {          // an incubator API that changed, a missing intrinsic class...
                return MODULE + " did not load: " + t;
            }
        }
    }

    /** True when B·m hidden values are enough for the kernels to pay (property {@code widenet.kernels.minValues}). */
    public static boolean pays(long hiddenValues) {
        return hiddenValues >= io.github.widenet.layers.WidenetSettings.number(
                io.github.widenet.layers.WidenetSettings.Setting.KERNELS_MIN_VALUES);
    }

    /** True when the kernels can run in this JVM. */
    public static boolean available() {
        return problem() == null;
    }

    /** Why the kernels are not used, or null when they are. */
    public static String problem() {
        if (io.github.widenet.layers.WidenetSettings.isOn(
                io.github.widenet.layers.WidenetSettings.Setting.KERNELS_DISABLE)) {
            return io.github.widenet.layers.WidenetSettings.Setting.KERNELS_DISABLE.key() + "=true";
        }
        return Holder.PROBLEM;
    }

    /**
     * True when {@link #biasRelu} can take these arrays: the kernels are available, Z and A float32 B × m row-major and
     * dense (under 2³¹ bytes), b m dense floats.
     */
    public static boolean forwardFits(INDArray z, INDArray b, INDArray a) {
        return available() && dense(z, 'c') && dense(a, 'c') && z.equalShapes(a) && denseVector(b, z.size(1));
    }

    /**
     * True when {@link #backward} can take these arrays: as {@link #forwardFits} for A and ∂L/∂Z (distinct arrays),
     * C and ∂L/∂C float32 m × k column-major and dense, ∂L/∂b m dense floats, ε B × k.
     */
    public static boolean backwardFits(INDArray a, INDArray epsilon, INDArray c, INDArray dz, INDArray gradB,
                                       INDArray gradC) {
        return available() && dense(a, 'c') && dense(dz, 'c') && a.equalShapes(dz) && a != dz
                && dense(c, 'f') && c.size(0) == a.size(1) && dense(gradC, 'f') && gradC.equalShapes(c)
                && denseVector(gradB, a.size(1)) && epsilon.rank() == 2 && epsilon.size(0) == a.size(0)
                && epsilon.size(1) == c.size(1);
    }

    private static boolean dense(INDArray x, char order) {
        return x.rank() == 2 && x.ordering() == order && denseVector(x, x.length());
    }

    private static boolean denseVector(INDArray x, long length) {
        return x.dataType() == DataType.FLOAT && x.length() == length && x.elementWiseStride() == 1
                && x.length() < Integer.MAX_VALUE / Float.BYTES;
    }

    /** A = max(Z + b, 0) ({@code a} may be {@code z}); arrays as {@link #forwardFits} requires. */
    public static void biasRelu(INDArray z, INDArray b, INDArray a) {
        require(forwardFits(z, b, a), "biasRelu");
        VectorReluBlock.biasRelu(bytes(z), bytes(b), bytes(a), (int) z.size(0), (int) z.size(1));
    }

    /**
     * From A (as {@link #biasRelu} left it), ε and C: writes ∂L/∂Z into {@code dz}, ∂L/∂b into {@code gradB} and
     * ∂L/∂C = s·Aᵀ·ε into {@code gradC}; arrays as {@link #backwardFits} requires.
     */
    public static void backward(INDArray a, INDArray epsilon, INDArray c, double s, INDArray dz, INDArray gradB,
                                INDArray gradC) {
        require(backwardFits(a, epsilon, c, dz, gradB, gradC), "backward");
        float[] eps = epsilon.castTo(DataType.FLOAT).dup('c').data().asFloat();
        VectorReluBlock.backward(bytes(a), bytes(c), eps, (float) s, bytes(dz), bytes(gradB), bytes(gradC),
                (int) a.size(0), (int) a.size(1), (int) c.size(1));
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException("ReluBlockKernels." + what + ": the arrays do not fit the kernel"
                    + (available() ? " (check forwardFits/backwardFits first)" : ": " + problem()));
        }
    }

    /** The array's own memory (from its offset), native byte order. */
    static ByteBuffer bytes(INDArray a) {
        return new BytePointer(a.data().addressPointer()).capacity(a.length() * Float.BYTES).asByteBuffer()
                .order(ByteOrder.nativeOrder());
    }
}
