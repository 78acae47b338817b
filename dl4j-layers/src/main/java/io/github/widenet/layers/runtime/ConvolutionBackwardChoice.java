package io.github.widenet.layers.runtime;

import io.github.widenet.internal.onednn.DirectConvolutionBackward;
import io.github.widenet.internal.onednn.OneDnnAvailability;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Per input shape, which implementation computes a convolution's backward pass: oneDNN's direct convolution through
 * its Java API ({@link DirectConvolutionBackward}) or ND4J's {@code conv2d_bp} op. Neither wins everywhere (measured
 * on VGG-11 layers: direct 2–5× faster for 3-channel inputs and spatial sizes ≤ 4, ND4J's Winograd kernels up to 1.5×
 * faster on some 8×8 and 16×16 layers), so on the first backward pass of a shape both run twice and the faster one's
 * second run is kept — the idea of cuDNN's benchmark mode. Both compute the same gradient up to float rounding.
 * System property {@value #PROPERTY} = {@code fastest} (default), {@code direct} or {@code nd4j} fixes the choice.
 */
final class ConvolutionBackwardChoice {

    static final String PROPERTY = "widenet.conv.backward";

    /** Runs ND4J's conv2d_bp op on the given arrays. */
    interface Nd4jBackward {
        void run();
    }

    private final Map<String, DirectConvolutionBackward> chosen = new HashMap<>();   // null value: ND4J's op

    /**
     * Computes dx, dw, db (db null without bias) with the implementation chosen for this shape; {@code nd4j} runs
     * ND4J's op on the same arrays. padTopLeft/padBottomRight as oneDNN counts them (bottom/right may differ in Same
     * mode).
     */
    void run(INDArray x, INDArray w, INDArray delta, INDArray dx, INDArray dw, INDArray db, int[] stride,
             int[] padTopLeft, int[] padBottomRight, int[] dilation, Nd4jBackward nd4j) {
        String mode = System.getProperty(PROPERTY, "fastest");
        if (!mode.equals("fastest") && !mode.equals("direct") && !mode.equals("nd4j")) {
            throw new IllegalArgumentException("system property " + PROPERTY + " = '" + mode
                    + "': expected fastest, direct or nd4j");
        }
        boolean eligible = !mode.equals("nd4j") && OneDnnAvailability.available()
                && DirectConvolutionBackward.accepts(x, w, delta, dx, dw, db)
                && padBottomRight[0] >= 0 && padBottomRight[1] >= 0;
        if (mode.equals("direct") && !eligible) {
            throw new IllegalStateException("system property " + PROPERTY + "=direct, but oneDNN's direct backward "
                    + "cannot run here (" + (OneDnnAvailability.available() ? "arrays not dense float32 NCHW or "
                    + "negative padding" : OneDnnAvailability.problem()) + ")");
        }
        if (!eligible) {
            nd4j.run();
            return;
        }
        String key = Arrays.toString(x.shape()) + Arrays.toString(w.shape()) + Arrays.toString(delta.shape())
                + (db != null) + mode;
        if (!chosen.containsKey(key)) {
            DirectConvolutionBackward direct = new DirectConvolutionBackward(x.shape(), w.shape(), delta.shape(),
                    stride, padTopLeft, padBottomRight, dilation, db != null);
            chosen.put(key, mode.equals("direct") || faster(() -> direct.run(x, w, delta, dx, dw, db), nd4j::run)
                    ? direct : null);
        }
        DirectConvolutionBackward direct = chosen.get(key);
        if (direct != null) {
            direct.run(x, w, delta, dx, dw, db);
        } else {
            nd4j.run();
        }
    }

    /** Whether a's second run is faster than b's second run. */
    private static boolean faster(Runnable a, Runnable b) {
        return secondRun(a) < secondRun(b);
    }

    private static long secondRun(Runnable r) {
        r.run();
        long t0 = System.nanoTime();
        r.run();
        return System.nanoTime() - t0;
    }
}
