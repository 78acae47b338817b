package io.github.widenet.layers;

import io.github.widenet.internal.params.LayerWiring;
import io.github.widenet.layers.runtime.FastConvolutionLayerRuntime;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * DL4J's {@link ConvolutionLayer}, a = σ(W ⋆ x + b) — same parameters, initialisation, options, outputs and gradients —
 * with a faster training step: for ReLU and identity activations the backward pass takes ∂L/∂z = ∂L/∂a ⊙ 1[a &gt; 0]
 * from the forward pass's output instead of recomputing the convolution (see {@link FastConvolutionLayerRuntime}).
 * A drop-in replacement: {@code new FastConvolutionLayer.Builder(3, 3).nOut(64).activation(Activation.RELU).build()}.
 */
public class FastConvolutionLayer extends ConvolutionLayer {

    /** For JSON deserialisation only. */
    public FastConvolutionLayer() {
    }

    private FastConvolutionLayer(Builder builder) {
        super(builder);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> trainingListeners, int layerIndex,
                                                       INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        LayerValidation.assertNInNOutSet("FastConvolutionLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        return LayerWiring.wire(new FastConvolutionLayerRuntime(conf, networkDataType), conf, trainingListeners,
                layerIndex, layerParamsView, initializeParams);
    }

    @Override
    public FastConvolutionLayer clone() {
        return (FastConvolutionLayer) super.clone();
    }

    /** DL4J's convolution builder; {@code build()} builds a {@link FastConvolutionLayer}. */
    public static class Builder extends ConvolutionLayer.Builder {

        public Builder(int... kernelSize) {
            super(kernelSize);
        }

        public Builder(int[] kernelSize, int[] stride) {
            super(kernelSize, stride);
        }

        public Builder(int[] kernelSize, int[] stride, int[] padding) {
            super(kernelSize, stride, padding);
        }

        @Override
        public FastConvolutionLayer build() {
            ConvolutionUtils.validateConvolutionModePadding(convolutionMode, padding);
            ConvolutionUtils.validateCnnKernelStridePadding(kernelSize, stride, padding);
            return new FastConvolutionLayer(this);
        }
    }
}
