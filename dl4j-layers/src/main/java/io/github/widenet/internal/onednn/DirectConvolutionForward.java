package io.github.widenet.internal.onednn;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.post_ops;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.stream;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.algorithm;
import static org.bytedeco.dnnl.global.dnnl.prop_kind;

/**
 * The forward pass of a 2-D convolution with its activation fused, a = σ(W ⋆ x + b) with σ = ReLU or the identity
 * (float32, x and a NCHW or NHWC, W OIHW), by one oneDNN direct-convolution primitive with a ReLU post-op, called
 * through JavaCPP. Primitive, layouts and internal buffers are created once per shape; the caller's arrays are bound
 * per call.
 */
public final class DirectConvolutionForward {

    private final stream stream;
    private final memory xUser;
    private final memory wUser;
    private final memory bUser;
    private final memory aUser;
    private final LayoutBridge bridge;
    private final convolution_forward conv;
    private final IntMemoryMap args = new IntMemoryMap();
    private final long[] xShape;
    private final long[] wShape;
    private final long[] aShape;
    private final boolean bias;

    /** Shapes, stride, paddings (bottom/right may differ), DL4J dilation (1 = none), bias, and whether σ is ReLU. */
    public DirectConvolutionForward(long[] xShape, long[] wShape, long[] aShape, int[] stride, int[] padTopLeft,
                                    int[] padBottomRight, int[] dilation, boolean bias, boolean relu) {
        this(xShape, wShape, aShape, stride, padTopLeft, padBottomRight, dilation, bias, relu, false);
    }

    /**
     * As above; with {@code nhwc} the arrays x and a are NHWC ([N, H, W, C] shapes), read and written in place by
     * oneDNN's NHWC kernels or reordered to and from the layout oneDNN picks (blocked), as
     * {@link #nhwcKernels(long, long)} says.
     */
    public DirectConvolutionForward(long[] xShape, long[] wShape, long[] aShape, int[] stride, int[] padTopLeft,
                                    int[] padBottomRight, int[] dilation, boolean bias, boolean relu, boolean nhwc) {
        engine eng = OneDnnAvailability.engine();
        this.stream = new stream(eng);
        this.bridge = new LayoutBridge(eng, stream);
        this.xShape = xShape.clone();
        this.wShape = wShape.clone();
        this.aShape = aShape.clone();
        this.bias = bias;
        memory.desc bDesc = bias ? new memory.desc(new long[]{wShape[0]}, memory.data_type.f32, memory.format_tag.x)
                : new memory.desc();
        primitive_attr attr = new primitive_attr();
        if (relu) {
            post_ops ops = new post_ops();
            ops.append_eltwise(1.0f, algorithm.eltwise_relu, 0f, 0f);
            attr.set_post_ops(ops);
        }
        long[] xDims = LayoutBridge.nchwDims(xShape, nhwc);
        long[] aDims = LayoutBridge.nchwDims(aShape, nhwc);
        memory.format_tag act = nhwc && nhwcKernels(xDims[1], aDims[1]) ? memory.format_tag.nhwc
                : memory.format_tag.any;
        convolution_forward.primitive_desc pd = new convolution_forward.primitive_desc(new convolution_forward.desc(
                prop_kind.forward_training, algorithm.convolution_direct, desc(xDims, act), any(wShape), bDesc,
                desc(aDims, act),
                new long[]{stride[0], stride[1]}, new long[]{dilation[0] - 1, dilation[1] - 1},
                new long[]{padTopLeft[0], padTopLeft[1]}, new long[]{padBottomRight[0], padBottomRight[1]}), attr, eng);
        conv = new convolution_forward(pd);
        memory.format_tag user = nhwc ? memory.format_tag.nhwc : memory.format_tag.nchw;
        xUser = LayoutBridge.unbound(xDims, user, eng);
        wUser = LayoutBridge.unbound(wShape, memory.format_tag.oihw, eng);
        bUser = LayoutBridge.unbound(new long[]{wShape[0]}, memory.format_tag.x, eng);
        aUser = LayoutBridge.unbound(aDims, user, eng);
        args.put(DNNL_ARG_SRC, bridge.input(xUser, pd.src_desc()));
        args.put(DNNL_ARG_WEIGHTS, bridge.input(wUser, pd.weights_desc()));
        if (bias) {
            args.put(DNNL_ARG_BIAS, bUser);
        }
        args.put(DNNL_ARG_DST, bridge.output(aUser, pd.dst_desc()));
    }

    /**
     * Whether a forward convolution with {@code inChannels} → {@code outChannels} on NHWC arrays runs oneDNN's NHWC
     * kernels in place rather than reorders to and from its blocked layout. Rule {@code auto} (default): in place when
     * both channel counts are at most {@value #IN_PLACE_MAX_CHANNELS}. Measured on VGG-11 with NHWC activations, batch
     * 64 / 128, interleaved rounds in one process (results/bench/nhwc-forward/): at full width (64–512 channels)
     * blocked everywhere trained faster than in place everywhere, the NHWC kernels losing most on wide inputs with
     * small maps (512→512 at 2×2); at width ÷4 (16–128 channels) the two are about even, in place slightly ahead in
     * the longest run. System property {@code widenet.conv.nhwcForward} = {@code auto}, {@code nhwc} (always in place)
     * or {@code blocked} fixes the choice. A fixed rule, so a run gives the same numbers every time. Backward
     * convolutions and pooling always use NHWC in place.
     */
    static boolean nhwcKernels(long inChannels, long outChannels) {
        String mode = io.github.widenet.layers.WidenetSettings.value(
                io.github.widenet.layers.WidenetSettings.Setting.CONV_NHWC_FORWARD);
        return switch (mode) {
            case "auto" -> inChannels <= IN_PLACE_MAX_CHANNELS && outChannels <= IN_PLACE_MAX_CHANNELS;
            case "nhwc" -> true;
            case "blocked" -> false;
            default -> throw new IllegalStateException("unreachable: " + mode);
        };
    }

    /** The widest layer (input or output channels) whose NHWC forward runs in place under the rule {@code auto}. */
    static final long IN_PLACE_MAX_CHANNELS = 128;

    /** The system property of {@link #nhwcKernels(long, long)}. */
    static final String NHWC_PROPERTY = io.github.widenet.layers.WidenetSettings.Setting.CONV_NHWC_FORWARD.key();

    private static memory.desc any(long[] shape) {
        return desc(shape, memory.format_tag.any);
    }

    private static memory.desc desc(long[] dims, memory.format_tag tag) {
        return new memory.desc(dims, memory.data_type.f32, tag);
    }

    /** Whether this instance was built for these shapes. */
    public boolean fits(INDArray x, INDArray w, INDArray a, boolean withBias) {
        return Arrays.equals(x.shape(), xShape) && Arrays.equals(w.shape(), wShape) && Arrays.equals(a.shape(), aShape)
                && withBias == bias;
    }

    /** a = σ(W ⋆ x + b); all dense float32 (b null without bias). */
    public void run(INDArray x, INDArray w, INDArray b, INDArray a) {
        LayoutBridge.bind(xUser, x);
        LayoutBridge.bind(wUser, w);
        if (bias) {
            LayoutBridge.bind(bUser, b);
        }
        LayoutBridge.bind(aUser, a);
        bridge.reorderInputs();
        conv.execute(stream, args);
        bridge.reorderOutputs();
        stream._wait();
    }
}
