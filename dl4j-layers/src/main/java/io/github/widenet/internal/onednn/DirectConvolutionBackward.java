package io.github.widenet.internal.onednn;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

/**
 * The backward pass of a 2-D convolution z = W ⋆ x + b (NCHW, float32) by oneDNN's direct-convolution primitives,
 * called through JavaCPP: ∂L/∂x = Wᵀ ⋆ δ (backward data), ∂L/∂W = x ⋆ δ and ∂L/∂b = Σ δ (backward weights), with
 * δ = ∂L/∂z. The primitives and oneDNN's internal (blocked) buffers are created once for one shape and reused; the
 * caller's arrays are bound on each call, with reorders between NCHW/OIHW and the primitives' layouts. ND4J's
 * {@code conv2d_bp} op (1.0.0-M2.1) instead asks oneDNN for Winograd backward kernels and rebuilds everything per call;
 * on small spatial sizes and 3-channel inputs this is 2–5× faster, on some larger layers slower (which one to use is
 * decided by timing, see {@code FastConvolutionLayerRuntime}).
 */
public final class DirectConvolutionBackward {

    private final stream stream;
    private final memory xUser;
    private final memory wUser;
    private final memory deltaUser;
    private final memory dxUser;
    private final memory dwUser;
    private final memory dbUser;
    private final List<Runnable> before = new ArrayList<>();
    private final List<Runnable> after = new ArrayList<>();
    private final convolution_backward_data backwardData;
    private final convolution_backward_weights backwardWeights;
    private final IntMemoryMap dataArgs = new IntMemoryMap();
    private final IntMemoryMap weightArgs = new IntMemoryMap();
    private final long[] xShape;
    private final long[] deltaShape;
    private final long[] wShape;
    private final boolean bias;

    /**
     * For input [N, C, H, W], weights [O, C, kH, kW], output [N, O, oH, oW], stride, top/left and bottom/right padding and
     * dilation (DL4J's convention: 1 = no dilation), with or without bias.
     */
    public DirectConvolutionBackward(long[] xShape, long[] wShape, long[] deltaShape, int[] stride, int[] padTopLeft,
                                     int[] padBottomRight, int[] dilation, boolean bias) {
        engine eng = OneDnnAvailability.engine();
        this.stream = new stream(eng);
        this.xShape = xShape.clone();
        this.wShape = wShape.clone();
        this.deltaShape = deltaShape.clone();
        this.bias = bias;
        memory.desc xU = desc(xShape, memory.format_tag.nchw);
        memory.desc wU = desc(wShape, memory.format_tag.oihw);
        memory.desc dU = desc(deltaShape, memory.format_tag.nchw);
        memory.desc bU = desc(new long[]{wShape[0]}, memory.format_tag.x);
        memory.desc xAny = desc(xShape, memory.format_tag.any);
        memory.desc wAny = desc(wShape, memory.format_tag.any);
        memory.desc dAny = desc(deltaShape, memory.format_tag.any);
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

        memory deltaForWeights = input(deltaUser, weightsPd.diff_dst_desc(), eng);
        memory deltaForData = weightsPd.diff_dst_desc().equals(dataPd.diff_dst_desc()) ? deltaForWeights
                : input(deltaUser, dataPd.diff_dst_desc(), eng);
        weightArgs.put(DNNL_ARG_SRC, input(xUser, weightsPd.src_desc(), eng));
        weightArgs.put(DNNL_ARG_DIFF_DST, deltaForWeights);
        weightArgs.put(DNNL_ARG_DIFF_WEIGHTS, output(dwUser, weightsPd.diff_weights_desc(), eng));
        if (bias) {
            weightArgs.put(DNNL_ARG_DIFF_BIAS, dbUser);
        }
        dataArgs.put(DNNL_ARG_DIFF_DST, deltaForData);
        dataArgs.put(DNNL_ARG_WEIGHTS, input(wUser, dataPd.weights_desc(), eng));
        dataArgs.put(DNNL_ARG_DIFF_SRC, output(dxUser, dataPd.diff_src_desc(), eng));
    }

    private static memory.desc desc(long[] shape, memory.format_tag tag) {
        return new memory.desc(shape, memory.data_type.f32, tag);
    }

    /** The primitive's input buffer: the user's memory itself when the layouts agree, else a reorder into its own. */
    private memory input(memory user, memory.desc wanted, engine eng) {
        if (user.get_desc().equals(wanted)) {
            return user;
        }
        memory internal = new memory(wanted, eng);
        reorder r = new reorder(user, internal);
        IntMemoryMap args = new IntMemoryMap();
        args.put(DNNL_ARG_FROM, user);
        args.put(DNNL_ARG_TO, internal);
        before.add(() -> r.execute(stream, args));
        return internal;
    }

    /** The primitive's output buffer, reordered into the user's memory after the primitives ran. */
    private memory output(memory user, memory.desc produced, engine eng) {
        if (user.get_desc().equals(produced)) {
            return user;
        }
        memory internal = new memory(produced, eng);
        reorder r = new reorder(internal, user);
        IntMemoryMap args = new IntMemoryMap();
        args.put(DNNL_ARG_FROM, internal);
        args.put(DNNL_ARG_TO, user);
        after.add(() -> r.execute(stream, args));
        return internal;
    }

    /** Whether this instance was built for these shapes. */
    public boolean fits(INDArray x, INDArray w, INDArray delta, boolean withBias) {
        return java.util.Arrays.equals(x.shape(), xShape) && java.util.Arrays.equals(w.shape(), wShape)
                && java.util.Arrays.equals(delta.shape(), deltaShape) && withBias == bias;
    }

    /** Whether the arrays can be handed to oneDNN as they are: float32, dense row-major (NCHW / OIHW). */
    public static boolean accepts(INDArray... arrays) {
        for (INDArray a : arrays) {
            boolean dense = a == null || a.rank() <= 1 ? a == null || a.elementWiseStride() == 1
                    : a.ordering() == 'c' && org.nd4j.linalg.api.shape.Shape.hasDefaultStridesForShape(a);
            if (a != null && (a.dataType() != DataType.FLOAT || !dense)) {
                return false;
            }
        }
        return true;
    }

    /** Computes dx, dw and (if the layer has a bias) db from x, W and δ; all float32, dense NCHW/OIHW. */
    public void run(INDArray x, INDArray w, INDArray delta, INDArray dx, INDArray dw, INDArray db) {
        xUser.set_data_handle(pointer(x));
        wUser.set_data_handle(pointer(w));
        deltaUser.set_data_handle(pointer(delta));
        dxUser.set_data_handle(pointer(dx));
        dwUser.set_data_handle(pointer(dw));
        if (bias) {
            dbUser.set_data_handle(pointer(db));
        }
        before.forEach(Runnable::run);
        backwardWeights.execute(stream, weightArgs);
        backwardData.execute(stream, dataArgs);
        after.forEach(Runnable::run);
        stream._wait();
    }

    private static FloatPointer pointer(INDArray a) {
        return new FloatPointer(a.data().addressPointer());     // already at the array's offset
    }
}
