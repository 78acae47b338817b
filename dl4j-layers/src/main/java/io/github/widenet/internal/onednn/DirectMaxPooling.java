package io.github.widenet.internal.onednn;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.pooling_backward;
import org.bytedeco.dnnl.pooling_forward;
import org.bytedeco.dnnl.stream;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WORKSPACE;

/**
 * Max pooling without padding, y[n,c,i,j] = max over the k×k window at (i·s, j·s) of x[n,c,·,·], on float32 NCHW (or
 * NHWC) arrays by oneDNN's pooling primitives through JavaCPP. The training forward pass records in oneDNN's workspace
 * which input won each window, and the backward pass, ∂L/∂x = Σ_windows 1[x is the window's max]·∂L/∂y, scatters
 * through it — the backward does not search the windows again (ND4J's maxpool2d_bp in DL4J 1.0.0-M2.1 does, and was
 * far slower than PyTorch's on VGG-11). Primitives and workspace are created once per shape; the workspace holds the
 * last training forward pass's choices, so {@link #backward} must follow the {@link #forward} it belongs to.
 */
public final class DirectMaxPooling {

    private final stream stream;
    private final memory src;
    private final memory dst;
    private final memory diffSrc;
    private final memory diffDst;
    private final pooling_forward forward;
    private final pooling_backward backward;
    private final IntMemoryMap forwardArgs = new IntMemoryMap();
    private final IntMemoryMap backwardArgs = new IntMemoryMap();
    private final long[] xShape;
    private final long[] yShape;

    /** For input [N, C, H, W] → output [N, C, oH, oW], square or rectangular kernel and stride, no padding. */
    public DirectMaxPooling(long[] xShape, long[] yShape, int[] kernel, int[] stride) {
        this(xShape, yShape, kernel, stride, false);
    }

    /** As above; with {@code nhwc} the arrays are NHWC ([N, H, W, C]). */
    public DirectMaxPooling(long[] xShape, long[] yShape, int[] kernel, int[] stride, boolean nhwc) {
        engine eng = OneDnnAvailability.engine();
        this.stream = new stream(eng);
        this.xShape = xShape.clone();
        this.yShape = yShape.clone();
        memory.format_tag tag = nhwc ? memory.format_tag.nhwc : memory.format_tag.nchw;
        memory.desc x = new memory.desc(LayoutBridge.nchwDims(xShape, nhwc), memory.data_type.f32, tag);
        memory.desc y = new memory.desc(LayoutBridge.nchwDims(yShape, nhwc), memory.data_type.f32, tag);
        long[] k = {kernel[0], kernel[1]};
        long[] s = {stride[0], stride[1]};
        long[] zero = {0, 0};
        pooling_forward.primitive_desc fpd = new pooling_forward.primitive_desc(new pooling_forward.desc(
                org.bytedeco.dnnl.global.dnnl.prop_kind.forward_training,
                org.bytedeco.dnnl.global.dnnl.algorithm.pooling_max, x, y, s, k, zero, zero), eng);
        pooling_backward.primitive_desc bpd = new pooling_backward.primitive_desc(new pooling_backward.desc(
                org.bytedeco.dnnl.global.dnnl.algorithm.pooling_max, x, y, s, k, zero, zero), eng, fpd);
        forward = new pooling_forward(fpd);
        backward = new pooling_backward(bpd);
        memory workspace = new memory(fpd.workspace_desc(), eng);
        src = new memory(x, eng, null);
        dst = new memory(y, eng, null);
        diffSrc = new memory(x, eng, null);
        diffDst = new memory(y, eng, null);
        forwardArgs.put(DNNL_ARG_SRC, src);
        forwardArgs.put(DNNL_ARG_DST, dst);
        forwardArgs.put(DNNL_ARG_WORKSPACE, workspace);
        backwardArgs.put(DNNL_ARG_DIFF_DST, diffDst);
        backwardArgs.put(DNNL_ARG_DIFF_SRC, diffSrc);
        backwardArgs.put(DNNL_ARG_WORKSPACE, workspace);
    }

    /** Whether this instance was built for these shapes. */
    public boolean fits(INDArray x, INDArray y) {
        return Arrays.equals(x.shape(), xShape) && Arrays.equals(y.shape(), yShape);
    }

    /** y = maxpool(x), recording the winners for {@link #backward}. Both dense float32, in the constructor's layout. */
    public void forward(INDArray x, INDArray y) {
        LayoutBridge.bind(src, x);
        LayoutBridge.bind(dst, y);
        forward.execute(stream, forwardArgs);
        stream._wait();
    }

    /** dx = ∂L/∂x from dy = ∂L/∂y and the winners of the last {@link #forward}; both dense float32, as constructed. */
    public void backward(INDArray dy, INDArray dx) {
        LayoutBridge.bind(diffDst, dy);
        LayoutBridge.bind(diffSrc, dx);
        backward.execute(stream, backwardArgs);
        stream._wait();
    }
}
