package io.github.widenet.linearized.tangent;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Map;

/**
 * 2-D pooling. Average pooling is linear: ḣ = avgpool(ẋ) with the layer's own windows and divisor. Max pooling routes
 * the tangent through the primal argmax: with the mask M = (DL4J's max-pool backprop at x0 applied to ones),
 * ḣ = sumpool(M ⊙ ẋ), exact for non-overlapping windows (stride ≥ kernel) and consistent with DL4J's backprop, ties
 * included. The mask comes from a separate instance of the layer, so the primal layer's state is left for backprop.
 */
final class PoolingTangent implements TangentRule {

    private final LayerWorkspaceMgr wsm = LayerWorkspaceMgr.noWorkspaces();
    private Layer maxShadow;

    static void check(SubsamplingLayer conf, String where) {
        PoolingType t = conf.getPoolingType();
        if (t != PoolingType.MAX && t != PoolingType.AVG) {
            throw new UnsupportedLayerException(where + ": " + t + " pooling has no tangent rule (use MAX or AVG)");
        }
        if (t == PoolingType.MAX) {
            int[] k = conf.getKernelSize();
            int[] s = conf.getStride();
            int[] d = conf.getDilation();
            if (s[0] < k[0] || s[1] < k[1] || (d != null && (d[0] != 1 || d[1] != 1))) {
                throw new UnsupportedLayerException(where + ": max pooling with overlapping windows or dilation (kernel "
                        + Arrays.toString(k) + ", stride " + Arrays.toString(s)
                        + ") has no tangent rule; use stride >= kernel");
            }
        }
    }

    @Override
    public INDArray pushForward(Layer layer, INDArray x0, INDArray h0, INDArray xDot, Map<String, INDArray> delta) {
        if (xDot == null) {
            return Nd4j.zeros(h0.dataType(), h0.shape());
        }
        SubsamplingLayer conf = (SubsamplingLayer) layer.conf().getLayer();
        INDArray in = xDot.castTo(h0.dataType());
        if (conf.getPoolingType() == PoolingType.AVG) {
            return avgPool(conf, in, conf.isAvgPoolIncludePadInDivisor() ? 1 : 0);
        }
        if (maxShadow == null) {
            NeuralNetConfiguration nnc = layer.conf().clone();
            maxShadow = nnc.getLayer().instantiate(nnc, null, 0, null, false, h0.dataType());
        }
        maxShadow.activate(x0, true, wsm);
        INDArray mask = maxShadow.backpropGradient(Nd4j.ones(h0.dataType(), h0.shape()), wsm).getSecond();
        int[] k = conf.getKernelSize();
        // sum pooling = average pooling with divisor kH·kW (padding counted), times kH·kW
        return avgPool(conf, mask.muli(in), 0).muli(k[0] * k[1]);
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
