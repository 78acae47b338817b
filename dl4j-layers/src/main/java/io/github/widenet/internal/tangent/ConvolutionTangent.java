package io.github.widenet.internal.tangent;

import io.github.widenet.internal.kernel.TangentKernels;
import io.github.widenet.layers.FastConvolutionLayer;
import io.github.widenet.layers.NtkConvolutionLayer;
import io.github.widenet.layers.NtkParameterized;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.Convolution2D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;
import java.util.Set;

/**
 * 2-D convolutions, z = s_w·(W ⋆ x) + s_b·b (DL4J's ConvolutionLayer: s_w = s_b = 1; {@link NtkConvolutionLayer}:
 * s_w = σ_w/√(nIn·kH·kW), s_b = σ_b). By bilinearity ż = s_w·(W0 ⋆ ẋ + δW ⋆ x0) + s_b·δb and ḣ = σ'(z0) ⊙ ż. The
 * convolutions use ND4J's conv2d op with the layer's kernel, stride, padding, dilation, ConvolutionMode and data format.
 */
final class ConvolutionTangent implements TangentRule {

    static final TangentRuleRegistration REGISTRATION = new TangentRuleRegistration(
            "ConvolutionLayer/Convolution2D (not Causal), FastConvolutionLayer, NtkConvolutionLayer",
            Set.of(ConvolutionLayer.class, Convolution2D.class, FastConvolutionLayer.class, NtkConvolutionLayer.class), ConvolutionTangent::new,
            (layer, where) -> {
                if (((ConvolutionLayer) layer).getConvolutionMode() == ConvolutionMode.Causal) {
                    throw new UnsupportedLayerException(where + ": causal convolution has no tangent rule");
                }
            });

    @Override
    public INDArray pushForward(Layer layer, INDArray x0, INDArray h0, INDArray xDot, Map<String, INDArray> delta) {
        ConvolutionLayer conf = (ConvolutionLayer) layer.conf().getLayer();
        double sw = conf instanceof NtkParameterized ? ((NtkParameterized) conf).weightScale() : 1;
        double sb = conf instanceof NtkParameterized ? ((NtkParameterized) conf).getSigmaB() : 1;
        INDArray w0 = layer.getParam("W");
        INDArray fused = fused(conf, x0, xDot, w0, sw, sb, delta, h0);
        if (fused != null) {
            return fused;
        }
        INDArray zDot = conv(conf, x0.castTo(w0.dataType()), delta.get("W"));
        if (xDot != null) {
            zDot.addi(conv(conf, xDot.castTo(w0.dataType()), w0));
        }
        if (sw != 1) {
            zDot.muli(sw);
        }
        if (conf.hasBias()) {
            int channelDim = conf.getCnn2dDataFormat() == CNN2DFormat.NHWC ? 3 : 1;
            INDArray b = delta.get("b").reshape(delta.get("b").length()).mul(sb);
            Nd4j.getExecutioner().exec(new BroadcastAddOp(zDot, b, zDot, channelDim));
        }
        return ActivationTangent.apply(conf.getActivationFn(), h0, zDot);
    }

    /**
     * The rest of the rule in one pass of {@link TangentKernels#affine} (float32, identity or plain ReLU): ż = s_w·(δW ⋆ x0
     * + W0 ⋆ ẋ) + s_b·δb masked by 1[h0 &gt; 0], the same float operations in the same order as the ND4J path above.
     * Null when the kernel does not apply. (One convolution of the channel-concatenated [x0 | ẋ] with [δW | W0] instead
     * of two made the linearized VGG-11 ÷4 step slower: the concatenation costs more than it saves.)
     */
    private static INDArray fused(ConvolutionLayer conf, INDArray x0, INDArray xDot, INDArray w0, double sw,
                                  double sb, Map<String, INDArray> delta, INDArray h0) {
        IActivation fn = conf.getActivationFn();
        boolean relu = fn instanceof ActivationReLU && ActivationTangent.supports(fn);
        if (!relu && !(fn == null || fn instanceof ActivationIdentity)) {
            return null;
        }
        boolean nhwc = conf.getCnn2dDataFormat() == CNN2DFormat.NHWC;
        INDArray b = conf.hasBias() ? delta.get("b") : null;
        INDArray mask = relu ? h0 : null;
        if (w0.dataType() != DataType.FLOAT || x0.dataType() != DataType.FLOAT
                || !TangentKernels.affineFits(h0, null, b, mask, nhwc)
                || xDot != null && xDot.dataType() != DataType.FLOAT) {
            return null;
        }
        INDArray zDot = conv(conf, x0, delta.get("W"));
        INDArray zDot2 = xDot == null ? null : conv(conf, xDot, w0);
        TangentKernels.affine(zDot, zDot2, sw, b, sb, mask, nhwc);     // both fresh outputs shaped like h0
        return zDot;
    }

    /** W ⋆ x without bias, as the layer computes it. */
    static INDArray conv(ConvolutionLayer conf, INDArray x, INDArray w) {
        CNN2DFormat format = conf.getCnn2dDataFormat();
        int[] kernel = conf.getKernelSize();
        int[] stride = conf.getStride();
        int[] dilation = conf.getDilation();
        int[] pad = conf.getPadding();
        boolean same = conf.getConvolutionMode() == ConvolutionMode.Same;
        if (same) {
            int hDim = format == CNN2DFormat.NHWC ? 1 : 2;
            int wDim = hDim + 1;
            int[] outSize = ConvolutionUtils.getOutputSize(x, kernel, stride, null, ConvolutionMode.Same, dilation, format);
            pad = ConvolutionUtils.getSameModeTopLeftPadding(outSize, new int[]{(int) x.size(hDim), (int) x.size(wDim)},
                    kernel, stride, dilation);
        }
        DynamicCustomOp op = DynamicCustomOp.builder("conv2d")
                .addInputs(x, w)
                .addIntegerArguments(kernel[0], kernel[1], stride[0], stride[1], pad[0], pad[1], dilation[0], dilation[1],
                        same ? 1 : 0, format == CNN2DFormat.NHWC ? 1 : 0, 1)
                .build();
        return Nd4j.exec(op)[0];
    }
}
