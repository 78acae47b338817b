package io.github.widenet.layers;

import io.github.widenet.internal.params.LayerWiring;
import io.github.widenet.internal.params.NtkConvolutionParamInitializer;
import io.github.widenet.layers.runtime.NtkConvolutionLayerRuntime;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;
import java.util.Objects;

/**
 * A 2-D convolution in NTK parameterization: z = (σ_w/√(nIn·kH·kW)) · (W ⋆ x) + σ_b · b, with W [nOut, nIn, kH, kW] and
 * b [nOut] drawn N(0, 1) (the network's weightInit/biasInit settings are ignored). Everything else (kernel, stride,
 * padding, dilation, ConvolutionMode, data format) is DL4J's {@link ConvolutionLayer}, whose runtime does the
 * convolution on the effective parameters. Defaults σ_w = 1, σ_b = 0.1; use σ_w = √2 before ReLU.
 */
public class NtkConvolutionLayer extends ConvolutionLayer implements NtkParameterized {

    private double sigmaW = 1.0;
    private double sigmaB = 0.1;

    /** For JSON deserialisation only. */
    public NtkConvolutionLayer() {
    }

    private NtkConvolutionLayer(Builder builder) {
        super(builder);
        this.sigmaW = builder.sigmaW;
        this.sigmaB = builder.sigmaB;
        NtkParameterized.validateScales("NtkConvolutionLayer" + (layerName == null ? "" : " '" + layerName + "'"),
                sigmaW, sigmaB);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> trainingListeners, int layerIndex,
                                                       INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        LayerValidation.assertNInNOutSet("NtkConvolutionLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        return LayerWiring.wire(new NtkConvolutionLayerRuntime(conf, networkDataType), conf, trainingListeners, layerIndex, layerParamsView, initializeParams);
    }

    @Override
    public ParamInitializer initializer() {
        return NtkConvolutionParamInitializer.getInstance();
    }

    @Override
    public long fanIn() {
        return getNIn() * getKernelSize()[0] * getKernelSize()[1];
    }

    @Override
    public double getSigmaW() {
        return sigmaW;
    }

    public void setSigmaW(double sigmaW) {
        this.sigmaW = sigmaW;
    }

    @Override
    public double getSigmaB() {
        return sigmaB;
    }

    public void setSigmaB(double sigmaB) {
        this.sigmaB = sigmaB;
    }

    @Override
    public NtkConvolutionLayer clone() {
        return (NtkConvolutionLayer) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof NtkConvolutionLayer) || !super.equals(o)) return false;
        NtkConvolutionLayer that = (NtkConvolutionLayer) o;
        return Double.compare(sigmaW, that.sigmaW) == 0 && Double.compare(sigmaB, that.sigmaB) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), sigmaW, sigmaB);
    }

    /**
     * Builder with DL4J's convolution options plus σ_w and σ_b:
     * {@code new NtkConvolutionLayer.Builder(3, 3).sigmaW(Math.sqrt(2)).nOut(64).convolutionMode(ConvolutionMode.Same)}.
     * Set σ_w/σ_b before DL4J's own options (those return DL4J's builder type; {@code build()} still builds this layer).
     */
    public static class Builder extends ConvolutionLayer.Builder {
        private double sigmaW = 1.0;
        private double sigmaB = 0.1;

        public Builder(int... kernelSize) {
            super(kernelSize);
        }

        public Builder(int[] kernelSize, int[] stride) {
            super(kernelSize, stride);
        }

        public Builder(int[] kernelSize, int[] stride, int[] padding) {
            super(kernelSize, stride, padding);
        }

        /** σ_w: the effective weights are σ_w/√(nIn·kH·kW) · W. */
        public Builder sigmaW(double sigmaW) {
            this.sigmaW = sigmaW;
            return this;
        }

        /** σ_b: the effective bias is σ_b · b. */
        public Builder sigmaB(double sigmaB) {
            this.sigmaB = sigmaB;
            return this;
        }

        @Override
        public NtkConvolutionLayer build() {
            ConvolutionUtils.validateConvolutionModePadding(convolutionMode, padding);
            ConvolutionUtils.validateCnnKernelStridePadding(kernelSize, stride, padding);
            return new NtkConvolutionLayer(this);
        }
    }
}
