package io.github.widenet.layers;

import io.github.widenet.internal.params.LayerWiring;
import io.github.widenet.internal.params.NtkDenseParamInitializer;
import io.github.widenet.layers.runtime.NtkDenseLayerRuntime;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;
import java.util.Objects;

/**
 * A fully connected layer in NTK parameterization: h = σ(z) with z = (σ_w/√nIn) · x·W + σ_b · b, where W (nIn × nOut)
 * and b (1 × nOut) are drawn N(0, 1) (the network's weightInit/biasInit settings are ignored: the parameterization fixes
 * them). Defaults σ_w = 1, σ_b = 0.1 (Jacot et al.'s β); use σ_w = √2 for ReLU nets to keep activations O(1).
 * Parameter keys are DL4J's {@code "W"} and {@code "b"}.
 */
public class NtkDenseLayer extends FeedForwardLayer implements NtkParameterized {

    private double sigmaW = 1.0;
    private double sigmaB = 0.1;
    private boolean hasBias = true;

    /** For JSON deserialisation only. */
    public NtkDenseLayer() {
    }

    private NtkDenseLayer(Builder builder) {
        super(builder);
        this.sigmaW = builder.sigmaW;
        this.sigmaB = builder.sigmaB;
        this.hasBias = builder.hasBias;
        NtkParameterized.validateScales("NtkDenseLayer" + (layerName == null ? "" : " '" + layerName + "'"),
                sigmaW, sigmaB);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> trainingListeners, int layerIndex,
                                                       INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        LayerValidation.assertNInNOutSet("NtkDenseLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        return LayerWiring.wire(new NtkDenseLayerRuntime(conf, networkDataType), conf, trainingListeners, layerIndex, layerParamsView, initializeParams);
    }

    @Override
    public ParamInitializer initializer() {
        return NtkDenseParamInitializer.getInstance();
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType outputType = getOutputType(-1, inputType);
        long numParams = initializer().numParams(this);
        long updaterState = getIUpdater() == null ? 0 : getIUpdater().stateSize(numParams);
        return new LayerMemoryReport.Builder(layerName, NtkDenseLayer.class, inputType, outputType)
                .standardMemory(numParams, updaterState)
                .workingMemory(0, 0, 0, outputType.arrayElementsPerExample())
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    @Override
    public long fanIn() {
        return getNIn();
    }

    public boolean hasBias() {
        return hasBias;
    }

    public boolean isHasBias() {
        return hasBias;
    }

    public void setHasBias(boolean hasBias) {
        this.hasBias = hasBias;
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
    public NtkDenseLayer clone() {
        return (NtkDenseLayer) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof NtkDenseLayer) || !super.equals(o)) return false;
        NtkDenseLayer that = (NtkDenseLayer) o;
        return Double.compare(sigmaW, that.sigmaW) == 0 && Double.compare(sigmaB, that.sigmaB) == 0
                && hasBias == that.hasBias;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), sigmaW, sigmaB, hasBias);
    }

    @Override
    public String toString() {
        return "NtkDenseLayer(name=" + layerName + ", nIn=" + nIn + ", nOut=" + nOut + ", sigmaW=" + sigmaW
                + ", sigmaB=" + sigmaB + ", hasBias=" + hasBias + ", activation=" + activationFn + ")";
    }

    /** Builder: {@code new NtkDenseLayer.Builder().nIn(d).nOut(k).sigmaW(Math.sqrt(2)).activation(Activation.RELU)}. */
    public static class Builder extends FeedForwardLayer.Builder<Builder> {
        private double sigmaW = 1.0;
        private double sigmaB = 0.1;
        private boolean hasBias = true;

        /** σ_w: the effective weights are σ_w/√nIn · W. */
        public Builder sigmaW(double sigmaW) {
            this.sigmaW = sigmaW;
            return this;
        }

        /** σ_b: the effective bias is σ_b · b. */
        public Builder sigmaB(double sigmaB) {
            this.sigmaB = sigmaB;
            return this;
        }

        public Builder hasBias(boolean hasBias) {
            this.hasBias = hasBias;
            return this;
        }

        @Override
        public NtkDenseLayer build() {
            return new NtkDenseLayer(this);
        }
    }
}
