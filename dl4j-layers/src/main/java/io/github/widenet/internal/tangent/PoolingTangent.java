package io.github.widenet.internal.tangent;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import io.github.widenet.layers.FastSubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.shape.OneHot;
import org.nd4j.linalg.api.ops.impl.transforms.Pad;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * 2-D pooling. Average pooling is linear: ḣ = avgpool(ẋ) with the layer's own windows and divisor. Max pooling selects,
 * in every window, the input position holding the primal maximum: ḣ[n,c,i,j] = ẋ at argmax of x0 over window (i,j). The
 * windows of x0 and ẋ are laid out side by side with ND4J's im2col (padding of x0 filled with −∞, so a padded cell is
 * never selected), the first maximum in window order is taken as DL4J's max-pool backprop does, and the tangent's cells
 * are picked with a one-hot mask. This is exact for any kernel, stride, padding, dilation and ConvolutionMode,
 * overlapping windows included. NHWC inputs are permuted to NCHW and back. Disjoint, unpadded windows (the common
 * 2×2/stride-2 case) take a cheaper route through DL4J's own max-pool backprop (see {@link #disjointMaxPool}).
 */
final class PoolingTangent implements TangentRule {

    static final TangentRuleRegistration REGISTRATION = new TangentRuleRegistration("SubsamplingLayer, FastSubsamplingLayer (MAX, AVG)",
            Set.of(SubsamplingLayer.class, FastSubsamplingLayer.class), PoolingTangent::new, (layer, where) -> {
                PoolingType t = ((SubsamplingLayer) layer).getPoolingType();
                if (t != PoolingType.MAX && t != PoolingType.AVG) {
                    throw new UnsupportedLayerException(where + ": " + t + " pooling has no tangent rule (use MAX or AVG)");
                }
            });

    @Override
    public INDArray pushForward(Layer layer, INDArray x0, INDArray h0, INDArray xDot, Map<String, INDArray> delta) {
        if (xDot == null) {
            return Nd4j.zeros(h0.dataType(), h0.shape());
        }
        SubsamplingLayer conf = (SubsamplingLayer) layer.conf().getLayer();
        INDArray in = xDot.castTo(h0.dataType());
        if (conf.getPoolingType() == PoolingType.AVG) {
            // DL4J passes 1 (divide by kH·kW) when padding is included in the divisor, 0 (valid cells only) otherwise
            return avgPool(conf, in, conf.isAvgPoolIncludePadInDivisor() ? 1 : 0);
        }
        INDArray out = maxPool(conf, x0.castTo(h0.dataType()), in);
        if (!Arrays.equals(out.shape(), h0.shape())) {
            throw new IllegalStateException("max-pool tangent has shape " + Arrays.toString(out.shape())
                    + " but the layer's output has shape " + Arrays.toString(h0.shape()));
        }
        return out;
    }

    /** ẋ at the argmax of x0 in every pooling window. */
    private static INDArray maxPool(SubsamplingLayer conf, INDArray x0, INDArray xDot) {
        boolean nhwc = conf.getCnn2dDataFormat() == CNN2DFormat.NHWC;
        if (disjointUnpadded(conf, x0.size(nhwc ? 1 : 2), x0.size(nhwc ? 2 : 3))) {
            return disjointMaxPool(conf, x0, xDot);
        }
        if (nhwc) {
            x0 = x0.permute(0, 3, 1, 2);
            xDot = xDot.permute(0, 3, 1, 2);
        }
        int[] k = conf.getKernelSize();
        int window = k[0] * k[1];
        INDArray p0 = windows(conf, x0, Double.NEGATIVE_INFINITY);      // [n, c, kH, kW, oH, oW]
        INDArray pDot = windows(conf, xDot, 0.0);
        long[] s = p0.shape();
        long[] flat = {s[0], s[1], window, s[4], s[5]};
        INDArray argmax = Nd4j.argMax(p0.reshape('c', flat), 2);         // [n, c, oH, oW], first maximum
        INDArray pick = Nd4j.exec(new OneHot(argmax, null, window, 2, 1.0, 0.0))[0].castTo(pDot.dataType());
        INDArray out = pick.muli(pDot.reshape('c', flat)).sum(2);      // [n, c, oH, oW]
        return nhwc ? out.permute(0, 2, 3, 1).dup('c') : out;
    }

    /** Windows that neither overlap nor reach into padding (e.g. the usual 2×2 pooling with stride 2). */
    private static boolean disjointUnpadded(SubsamplingLayer conf, long height, long width) {
        int[] k = conf.getKernelSize();
        int[] s = conf.getStride();
        int[] d = conf.getDilation();
        int[] ph = padding(conf, 0, height);
        int[] pw = padding(conf, 1, width);
        return d[0] == 1 && d[1] == 1 && s[0] >= k[0] && s[1] >= k[1]
                && ph[0] == 0 && ph[1] == 0 && pw[0] == 0 && pw[1] == 0;
    }

    /**
     * The faster rule for disjoint, unpadded windows: DL4J's own max-pool backprop of ones marks each window's selected
     * cell (M), and ḣ = Σ_window M ⊙ ẋ (average pooling times kH·kW; no window has padding, so either divisor is kH·kW).
     */
    private static INDArray disjointMaxPool(SubsamplingLayer conf, INDArray x0, INDArray xDot) {
        int[] k = conf.getKernelSize();
        int[] s = conf.getStride();
        int[] p = conf.getPadding();
        int[] d = conf.getDilation();
        int same = conf.getConvolutionMode() == ConvolutionMode.Same ? 1 : 0;
        int format = conf.getCnn2dDataFormat() == CNN2DFormat.NCHW ? 0 : 1;
        DynamicCustomOp forward = DynamicCustomOp.builder("maxpool2d").addInputs(x0)
                .addIntegerArguments(k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1], same, 0, format).build();
        long[] outShape = forward.calculateOutputShape().get(0).getShape();
        INDArray mask = Nd4j.exec(DynamicCustomOp.builder("maxpool2d_bp")
                .addInputs(x0, Nd4j.ones(x0.dataType(), outShape))
                .addIntegerArguments(k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1], same, 0, format).build())[0];
        return avgPool(conf, mask.muli(xDot), 1).muli(k[0] * k[1]);
    }

    /**
     * im2col of an NCHW array with the layer's windows; cells outside the input read {@code padValue}. The padding is
     * applied explicitly (ND4J's im2col computes Same-mode padding differently from its maxpool2d): p on every side, or
     * in Same mode the total (o − 1)·s + (k − 1)·d + 1 − i split with the smaller half on top/left, as DL4J does.
     */
    private static INDArray windows(SubsamplingLayer conf, INDArray x, double padValue) {
        int[] k = conf.getKernelSize();
        int[] s = conf.getStride();
        int[] d = conf.getDilation();
        int[][] pad = {{0, 0}, {0, 0}, padding(conf, 0, x.size(2)), padding(conf, 1, x.size(3))};
        boolean none = pad[2][0] == 0 && pad[2][1] == 0 && pad[3][0] == 0 && pad[3][1] == 0;
        INDArray padded = none ? x.dup('c') : Nd4j.pad(x, pad, Pad.Mode.CONSTANT, padValue);
        DynamicCustomOp op = DynamicCustomOp.builder("im2col").addInputs(padded)
                .addIntegerArguments(k[0], k[1], s[0], s[1], 0, 0, d[0], d[1], 0)
                .addFloatingPointArguments(padValue)
                .build();
        return Nd4j.exec(op)[0];
    }

    /** {before, after} padding of spatial dimension {@code dim} (0: height, 1: width) of size {@code size}. */
    private static int[] padding(SubsamplingLayer conf, int dim, long size) {
        if (conf.getConvolutionMode() != ConvolutionMode.Same) {
            int p = conf.getPadding()[dim];
            return new int[]{p, p};
        }
        long stride = conf.getStride()[dim];
        long extent = (long) (conf.getKernelSize()[dim] - 1) * conf.getDilation()[dim] + 1;
        long out = (size + stride - 1) / stride;
        int total = (int) Math.max(0, (out - 1) * stride + extent - size);
        return new int[]{total / 2, total - total / 2};
    }

    /** ND4J's avgpool2d with the layer's windows; {@code extra} selects the divisor as in DL4J's SubsamplingLayer. */
    private static INDArray avgPool(SubsamplingLayer conf, INDArray in, int extra) {
        int[] k = conf.getKernelSize();
        int[] s = conf.getStride();
        int[] p = conf.getPadding();
        int[] d = conf.getDilation();
        DynamicCustomOp op = DynamicCustomOp.builder("avgpool2d").addInputs(in)
                .addIntegerArguments(k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1],
                        conf.getConvolutionMode() == ConvolutionMode.Same ? 1 : 0, extra,
                        conf.getCnn2dDataFormat() == CNN2DFormat.NCHW ? 0 : 1)
                .build();
        return Nd4j.exec(op)[0];
    }
}
