package io.github.widenet.layers;

import io.github.widenet.internal.params.LayerWiring;
import io.github.widenet.layers.runtime.FastSubsamplingLayerRuntime;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * DL4J's {@link SubsamplingLayer} — same options, outputs and gradients — whose max pooling remembers, in the training
 * forward pass, which input won each window, so that the backward pass ∂L/∂x = Σ_windows 1[x wins]·∂L/∂y needs no
 * second search (see {@link FastSubsamplingLayerRuntime}; oneDNN through its Java API). A drop-in replacement:
 * {@code new FastSubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build()}.
 */
public class FastSubsamplingLayer extends SubsamplingLayer {

    /** For JSON deserialisation only. */
    public FastSubsamplingLayer() {
    }

    private FastSubsamplingLayer(Builder builder) {
        super(builder);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> trainingListeners, int layerIndex,
                                                       INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        return LayerWiring.wire(new FastSubsamplingLayerRuntime(conf, networkDataType), conf, trainingListeners,
                layerIndex, layerParamsView, initializeParams);
    }

    @Override
    public FastSubsamplingLayer clone() {
        return (FastSubsamplingLayer) super.clone();
    }

    /** DL4J's subsampling builder; {@code build()} builds a {@link FastSubsamplingLayer}. */
    public static class Builder extends SubsamplingLayer.Builder {

        public Builder(SubsamplingLayer.PoolingType poolingType) {
            super(poolingType);
        }

        public Builder(org.deeplearning4j.nn.conf.layers.PoolingType poolingType) {
            super(poolingType);
        }

        public Builder(int... kernelSize) {
            super(kernelSize);
        }

        @Override
        public FastSubsamplingLayer build() {
            if (poolingType == org.deeplearning4j.nn.conf.layers.PoolingType.PNORM && pnorm <= 0) {
                throw new IllegalStateException("FastSubsamplingLayer: p-norm must be set when using PoolingType.PNORM");
            }
            ConvolutionUtils.validateConvolutionModePadding(convolutionMode, padding);
            ConvolutionUtils.validateCnnKernelStridePadding(kernelSize, stride, padding);
            return new FastSubsamplingLayer(this);
        }
    }
}
