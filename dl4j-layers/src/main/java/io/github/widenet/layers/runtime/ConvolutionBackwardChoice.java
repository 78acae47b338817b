package io.github.widenet.layers.runtime;

import io.github.widenet.layers.WidenetSettings;
import io.github.widenet.internal.onednn.DirectConvolutionBackward;
import io.github.widenet.internal.onednn.LayoutBridge;
import io.github.widenet.internal.onednn.OneDnnAvailability;
import org.nd4j.linalg.api.ndarray.INDArray;


/**
 * Which implementation computes a convolution's backward pass: oneDNN's direct convolution through its Java API
 * ({@link DirectConvolutionBackward}) or ND4J's {@code conv2d_bp} op (which asks oneDNN for Winograd kernels). Neither
 * wins everywhere. Timed on VGG-11's layers (batch 64; per-layer times: {@code ./widenet cifar-profile}): direct is
 * faster for 3-channel inputs (3→16, 3→64 at 32×32), for small images (512→512 at 2×2 and 4×4; 256→512 at 4×4;
 * 128→128 at 2×2) and for narrow layers (16→32 at 16×16; 32→64 at 8×8); Winograd for wide layers on larger images
 * (64→128 at 16×16; 128→256 and 256→256 at 8×8; 64→64 at 8×8: about equal). The rule {@code auto} (default):
 * ND4J's op when the input has at least 64 channels and an image of at least 8×8, else the direct kernels. A fixed
 * rule rather than timing on first use, so that a run gives the same numbers every time (the two differ in float
 * rounding). System property {@code widenet.conv.backward} = {@code auto}, {@code direct} or {@code nd4j} fixes the choice.
 */
final class ConvolutionBackwardChoice {

    static final String PROPERTY = WidenetSettings.Setting.CONV_BACKWARD.key();

    /** Runs ND4J's conv2d_bp op on the given arrays. */
    interface Nd4jBackward {
        void run();
    }

    private DirectConvolutionBackward direct;

    /**
     * Computes dx, dw, db (db null without bias) with the implementation the rule picks for this shape; {@code nd4j}
     * runs ND4J's op on the same arrays. padTopLeft/padBottomRight as oneDNN counts them (bottom/right may differ in
     * Same mode).
     */
    void run(INDArray x, INDArray w, INDArray delta, INDArray dx, INDArray dw, INDArray db, int[] stride,
             int[] padTopLeft, int[] padBottomRight, int[] dilation, boolean nhwc, Nd4jBackward nd4j) {
        String mode = WidenetSettings.value(WidenetSettings.Setting.CONV_BACKWARD);
        boolean eligible = !mode.equals("nd4j") && OneDnnAvailability.available()
                && LayoutBridge.bindable(x, w, delta, dx, dw, db)
                && padBottomRight[0] >= 0 && padBottomRight[1] >= 0;
        if (mode.equals("direct") && !eligible) {
            throw new IllegalStateException("system property " + PROPERTY + "=direct, but oneDNN's direct backward "
                    + "cannot run here (" + (OneDnnAvailability.available() ? "arrays not dense float32 NCHW or "
                    + "negative padding" : OneDnnAvailability.problem()) + ")");
        }
        if (!eligible || mode.equals("auto") && winogradShape(x, nhwc)) {
            nd4j.run();
            return;
        }
        if (direct == null || !direct.fits(x, w, delta, db != null)) {
            direct = new DirectConvolutionBackward(x.shape(), w.shape(), delta.shape(), stride, padTopLeft,
                    padBottomRight, dilation, db != null, nhwc);
        }
        direct.run(x, w, delta, dx, dw, db);
    }

    /** The rule's Winograd side: at least 64 input channels and an image of at least 8×8. */
    static boolean winogradShape(INDArray x, boolean nhwc) {
        long[] nchw = LayoutBridge.nchwDims(x.shape(), nhwc);
        return nchw[1] >= 64 && nchw[2] >= 8 && nchw[3] >= 8;
    }
}
