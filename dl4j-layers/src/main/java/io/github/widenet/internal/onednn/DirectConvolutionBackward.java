package io.github.widenet.internal.onednn;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.stream;
import org.nd4j.linalg.api.ndarray.INDArray;


import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

/**
 * The backward pass of a 2-D convolution z = W ⋆ x + b (float32; x and δ NCHW, or NHWC with the nhwc flag) by oneDNN's
 * direct-convolution primitives, called through JavaCPP: ∂L/∂x = Wᵀ ⋆ δ (backward data), ∂L/∂W = x ⋆ δ and ∂L/∂b = Σ δ
 * (backward weights), with δ = ∂L/∂z. The primitives and oneDNN's internal (blocked) buffers are created once for one
 * shape and reused; the caller's arrays are bound on each call, with reorders between NCHW/OIHW and the primitives'
 * layouts. ND4J's {@code conv2d_bp} op (1.0.0-M2.1) instead asks oneDNN for Winograd backward kernels and rebuilds
 * everything per call; on small spatial sizes and 3-channel inputs this is faster, on some larger layers slower
 * (which one to use is decided by timing, see {@code FastConvolutionLayerRuntime}).
 */
public final class DirectConvolutionBackward {

    private final stream stream;
    private final memory xUser;
    private final memory wUser;
    private final memory deltaUser;
    private final memory dxUser;
    private final memory dwUser;
    private final memory dbUser;
    private final LayoutBridge bridge;
    private final convolution_backward_data backwardData;
    private final convolution_backward_weights backwardWeights;
    private final IntMemoryMap dataArgs = new IntMemoryMap();
    private final IntMemoryMap weightArgs = new IntMemoryMap();
    private final long[] xShape;
    private final long[] deltaShape;
    private final long[] wShape;
    private final boolean bias;

    /**
     * For input [N, C, H, W], weights [O, C, kH, kW], output [N, O, oH, oW], stride, top/left and bottom/right padding
     * and dilation (DL4J's convention: 1 = no dilation), with or without bias.
     */
    public DirectConvolutionBackward(long[] xShape, long[] wShape, long[] deltaShape, int[] stride, int[] padTopLeft,
                                     int[] padBottomRight, int[] dilation, boolean bias) {
        this(xShape, wShape, deltaShape, stride, padTopLeft, padBottomRight, dilation, bias, false);
    }

    /** As above; with {@code nhwc} x, δ and dx are NHWC ([N, H, W, C]) and the primitives use them in place. */
    public DirectConvolutionBackward(long[] xShape, long[] wShape, long[] deltaShape, int[] stride, int[] padTopLeft,
                                     int[] padBottomRight, int[] dilation, boolean bias, boolean nhwc) {
        engine eng = OneDnnAvailability.engine();
        this.stream = new stream(eng);
        this.bridge = new LayoutBridge(eng, stream);
        this.xShape = xShape.clone();
        this.wShape = wShape.clone();
        this.deltaShape = deltaShape.clone();
        this.bias = bias;
        long[] xDims = LayoutBridge.nchwDims(xShape, nhwc);
        long[] dDims = LayoutBridge.nchwDims(deltaShape, nhwc);
        memory.format_tag user = nhwc ? memory.format_tag.nhwc : memory.format_tag.nchw;
        memory.format_tag act = nhwc ? memory.format_tag.nhwc : memory.format_tag.any;
        memory.desc xU = desc(xDims, user);
        memory.desc wU = desc(wShape, memory.format_tag.oihw);
        memory.desc dU = desc(dDims, user);
        memory.desc bU = desc(new long[]{wShape[0]}, memory.format_tag.x);
        memory.desc xAny = desc(xDims, act);
        memory.desc wAny = desc(wShape, memory.format_tag.any);
        memory.desc dAny = desc(dDims, act);
        memory.desc bAny = bias ? bU : new memory.desc();
        long[] strides = {stride[0], stride[1]};
        long[] padL = {padTopLeft[0], padTopLeft[1]};
        long[] padR = {padBottomRight[0], padBottomRight[1]};
        long[] dil = {dilation[0] - 1, dilation[1] - 1};     // oneDNN counts the gaps: 0 = no dilation
        convolution_forward.primitive_desc hint = new convolution_forward.primitive_desc(
                new convolution_forward.desc(org.bytedeco.dnnl.global.dnnl.prop_kind.forward_training,
                        org.bytedeco.dnnl.global.dnnl.algorithm.convolution_direct, xAny, wAny, bAny, dAny, strides, dil,
                        padL, padR), eng);
        convolution_backward_data.primitive_desc dataPd = new convolution_backward_data.primitive_desc(
                new convolution_backward_data.desc(org.bytedeco.dnnl.global.dnnl.algorithm.convolution_direct, xAny,
                        wAny, dAny, strides, dil, padL, padR), eng, hint);
        convolution_backward_weights.primitive_desc weightsPd = bias
                ? new convolution_backward_weights.primitive_desc(new convolution_backward_weights.desc(
                org.bytedeco.dnnl.global.dnnl.algorithm.convolution_direct, xAny, wAny, bAny, dAny, strides, dil,
                padL, padR), eng, hint)
                : new convolution_backward_weights.primitive_desc(new convolution_backward_weights.desc(
                org.bytedeco.dnnl.global.dnnl.algorithm.convolution_direct, xAny, wAny, dAny, strides, dil, padL,
                padR), eng, hint);
        backwardData = new convolution_backward_data(dataPd);
        backwardWeights = new convolution_backward_weights(weightsPd);

        xUser = new memory(xU, eng, null);
        wUser = new memory(wU, eng, null);
        deltaUser = new memory(dU, eng, null);
        dxUser = new memory(xU, eng, null);
        dwUser = new memory(wU, eng, null);
        dbUser = new memory(bU, eng, null);

        memory deltaForWeights = bridge.input(deltaUser, weightsPd.diff_dst_desc());
        memory deltaForData = weightsPd.diff_dst_desc().equals(dataPd.diff_dst_desc()) ? deltaForWeights
                : bridge.input(deltaUser, dataPd.diff_dst_desc());
        weightArgs.put(DNNL_ARG_SRC, bridge.input(xUser, weightsPd.src_desc()));
        weightArgs.put(DNNL_ARG_DIFF_DST, deltaForWeights);
        weightArgs.put(DNNL_ARG_DIFF_WEIGHTS, bridge.output(dwUser, weightsPd.diff_weights_desc()));
        if (bias) {
            weightArgs.put(DNNL_ARG_DIFF_BIAS, dbUser);
        }
        dataArgs.put(DNNL_ARG_DIFF_DST, deltaForData);
        dataArgs.put(DNNL_ARG_WEIGHTS, bridge.input(wUser, dataPd.weights_desc()));
        dataArgs.put(DNNL_ARG_DIFF_SRC, bridge.output(dxUser, dataPd.diff_src_desc()));
    }

    private static memory.desc desc(long[] shape, memory.format_tag tag) {
        return new memory.desc(shape, memory.data_type.f32, tag);
    }

    /** Whether this instance was built for these shapes. */
    public boolean fits(INDArray x, INDArray w, INDArray delta, boolean withBias) {
        return java.util.Arrays.equals(x.shape(), xShape) && java.util.Arrays.equals(w.shape(), wShape)
                && java.util.Arrays.equals(delta.shape(), deltaShape) && withBias == bias;
    }

    /** Computes dx, dw and (if the layer has a bias) db from x, W and δ; all float32, dense NCHW (or NHWC) and OIHW. */
    public void run(INDArray x, INDArray w, INDArray delta, INDArray dx, INDArray dw, INDArray db) {
        LayoutBridge.bind(xUser, x);
        LayoutBridge.bind(wUser, w);
        LayoutBridge.bind(deltaUser, delta);
        LayoutBridge.bind(dxUser, dx);
        LayoutBridge.bind(dwUser, dw);
        if (bias) {
            LayoutBridge.bind(dbUser, db);
        }
        bridge.reorderInputs();
        backwardWeights.execute(stream, weightArgs);
        backwardData.execute(stream, dataArgs);
        bridge.reorderOutputs();
        stream._wait();
    }
}
