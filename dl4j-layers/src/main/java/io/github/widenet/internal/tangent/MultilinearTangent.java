package io.github.widenet.internal.tangent;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.SpaceToDepthLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling1D;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.ZeroPadding1DLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping1D;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Layers whose pre-activation is multilinear in the input and the weight arrays, plus a bias: z = f(x; W_1..W_m) + b
 * (convolutions of every kind, deconvolution, depthwise and separable convolution — m = 2 — and, with no parameters,
 * the linear reshaping layers: zero padding, cropping, nearest-neighbour upsampling, space-to-depth). By
 * multilinearity ż = f(ẋ; W0) + Σ_k f(x0; W0 with W_k replaced by δW_k) + δb and ḣ = σ'(z0) ⊙ ż. Each term is a
 * forward pass of a private copy of the layer with identity activation (bias 0, or x = 0 and weights 0 for δb), so DL4J
 * itself computes f with all of the layer's settings (kernel, stride, padding, dilation, mode, data format).
 */
final class MultilinearTangent implements TangentRule {

    static final TangentRuleRegistration REGISTRATION = TangentRuleRegistration.of(
            "Deconvolution2D, DepthwiseConvolution2D, SeparableConvolution2D, Convolution1DLayer, ZeroPaddingLayer, "
                    + "ZeroPadding1DLayer, Cropping1D, Cropping2D, Upsampling1D, Upsampling2D, SpaceToDepthLayer",
            MultilinearTangent::new, Set.of(Deconvolution2D.class, DepthwiseConvolution2D.class,
                    SeparableConvolution2D.class, Convolution1DLayer.class, ZeroPaddingLayer.class,
                    ZeroPadding1DLayer.class, Cropping1D.class, Cropping2D.class, Upsampling1D.class, Upsampling2D.class,
                    SpaceToDepthLayer.class));

    private static final LayerWorkspaceMgr WSM = LayerWorkspaceMgr.noWorkspaces();
    private Layer copy;

    @Override
    public INDArray pushForward(Layer layer, INDArray x0, INDArray h0, INDArray xDot, Map<String, INDArray> delta) {
        org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
        Layer f = copyOf(layer);
        List<String> biases = conf.initializer().biasKeys(conf);
        INDArray zDot = xDot == null ? null : term(f, layer, xDot, null, null, biases);
        for (Map.Entry<String, INDArray> d : delta == null ? Map.<String, INDArray>of().entrySet() : delta.entrySet()) {
            INDArray t = term(f, layer, x0, d.getKey(), d.getValue(), biases);
            zDot = zDot == null ? t : zDot.addi(t);
        }
        if (zDot == null) {
            return Nd4j.zeros(h0.dataType(), h0.shape());
        }
        zDot = zDot.castTo(h0.dataType());
        return conf instanceof BaseLayer ? ActivationTangent.apply(((BaseLayer) conf).getActivationFn(), h0, zDot)
                : zDot;
    }

    /**
     * f(x) of the private copy with parameter {@code key} set to {@code value}, the other weights at the layer's values
     * and the biases 0 (for a bias {@code key}: x and the weights 0, so f = the bias broadcast).
     */
    private static INDArray term(Layer f, Layer layer, INDArray x, String key, INDArray value, List<String> biases) {
        boolean bias = key != null && biases.contains(key);
        for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
            INDArray target = f.getParam(p.getKey());
            if (p.getKey().equals(key)) {
                target.assign(value);
            } else if (bias || biases.contains(p.getKey())) {
                target.assign(0);
            } else {
                target.assign(p.getValue());
            }
        }
        f.setInput(bias ? Nd4j.zeros(x.dataType(), x.shape()) : x, WSM);
        return f.activate(false, WSM).dup();
    }

    /** A private instance of the layer with identity activation and its own parameters (created once). */
    private Layer copyOf(Layer layer) {
        if (copy == null) {
            try (org.nd4j.linalg.api.memory.MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                copy = newCopy(layer);
            }
        }
        return copy;
    }

    private static Layer newCopy(Layer layer) {
        NeuralNetConfiguration c = layer.conf().clone();
        if (c.getLayer() instanceof BaseLayer) {
            ((BaseLayer) c.getLayer()).setActivationFn(new ActivationIdentity());
        }
        long n = layer.numParams();
        org.nd4j.linalg.api.buffer.DataType type = n == 0 ? Nd4j.dataType() : layer.params().dataType();
        INDArray view = n == 0 ? null : Nd4j.create(type, 1, n);
        return c.getLayer().instantiate(c, List.of(), 0, view, n > 0, type);
    }
}
