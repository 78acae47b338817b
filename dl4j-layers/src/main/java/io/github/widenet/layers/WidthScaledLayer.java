package io.github.widenet.layers;

import io.github.widenet.internal.params.LayerWiring;
import io.github.widenet.internal.params.WidthScaledParamInitializer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;
import java.util.Objects;

/**
 * Configuration of a whole two-layer block with {@code m} hidden units and a width-dependent output scale:
 * <pre>
 *     y = m^(-p) · σ(x·W + b) · C          W: nIn × m,  b: 1 × m,  C: m × nOut,  no output bias
 * </pre>
 * Row i of (Wᵀ | bᵀ | C) is hidden unit i's parameters (w_i, b_i, c_i). The exponent {@code p} selects the regime:
 * p = 1 is the mean-field scaling ({@link MeanFieldLayer}), p = 1/2 the neural-tangent scaling ({@link NtkLayer});
 * any other p in [0, 2] sweeps between or beyond them.
 * <p>
 * Default initialisation draws the units i.i.d. and independently of m: W entries N(0, 1/nIn), b = 0,
 * C entries N(0, 1) (standard deviations settable on the builder), so every unit's parameters are O(1) whatever m is.
 * The runtime layer is {@link io.github.widenet.layers.runtime.WidthScaledLayerRuntime}; parameters are created by
 * {@link WidthScaledParamInitializer} under the keys {@code "W"}, {@code "b"}, {@code "C"}.
 * <pre>{@code
 * new NeuralNetConfiguration.Builder().updater(new Sgd(0.1)).list()
 *     .layer(WidthScaledLayer.builder().nIn(784).units(10_000).nOut(10).scaleExponent(0.75)
 *            .activation(Activation.RELU).build())
 *     .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build())
 *     .build();
 * }</pre>
 */
public class WidthScaledLayer extends FeedForwardLayer {

    /** Parameter key of the input weights, nIn × m. */
    public static final String INPUT_WEIGHT_KEY = "W";
    /** Parameter key of the hidden biases, 1 × m. */
    public static final String BIAS_KEY = "b";
    /** Parameter key of the output weights, m × nOut. */
    public static final String OUTPUT_WEIGHT_KEY = "C";

    private long units;
    private double scaleExponent;
    private double inputWeightStd = Double.NaN;
    private double biasStd;
    private double outputWeightStd = 1.0;
    private boolean inputGradient = true;

    /** For JSON deserialisation only. */
    public WidthScaledLayer() {
    }

    protected WidthScaledLayer(Builder<?> builder) {
        super(builder);
        this.units = builder.units;
        this.scaleExponent = builder.scaleExponent;
        this.inputWeightStd = builder.inputWeightStd;
        this.biasStd = builder.biasStd;
        this.outputWeightStd = builder.outputWeightStd;
        this.inputGradient = builder.inputGradient;
        validate();
    }

    /** A builder for a block with any output-scale exponent (set it with {@link Builder#scaleExponent(double)}). */
    public static Builder<?> builder() {
        return new Builder<>();
    }

    private void validate() {
        if (units < 1) {
            throw new IllegalArgumentException(describe() + ": units (the hidden width m) must be >= 1, got " + units);
        }
        if (!(scaleExponent >= 0 && scaleExponent <= 2)) {
            throw new IllegalArgumentException(describe() + ": scaleExponent p (output scale m^-p) must be in [0, 2], got "
                    + scaleExponent);
        }
        requireStd("inputWeightStd", inputWeightStd, true);
        requireStd("biasStd", biasStd, false);
        requireStd("outputWeightStd", outputWeightStd, false);
    }

    private void requireStd(String name, double value, boolean nanMeansDefault) {
        if (nanMeansDefault && Double.isNaN(value)) {
            return;
        }
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(describe() + ": " + name + " must be a finite value >= 0, got " + value);
        }
    }

    private String describe() {
        return getClass().getSimpleName() + (layerName == null ? "" : " '" + layerName + "'");
    }

    /** The output scale s(m) = m^(-p). */
    public double outputScale() {
        return Math.pow(units, -scaleExponent);
    }

    /** Standard deviation actually used for the input weights: the configured one, or 1/√nIn by default. */
    public double effectiveInputWeightStd() {
        return Double.isNaN(inputWeightStd) ? 1.0 / Math.sqrt(nIn) : inputWeightStd;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> trainingListeners, int layerIndex,
                                                       INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        LayerValidation.assertNInNOutSet(getClass().getSimpleName(), getLayerName(), layerIndex, getNIn(), getNOut());
        if (!inputGradient && layerIndex != 0) {
            throw new IllegalStateException(describe() + " (layer/vertex " + layerIndex + "): inputGradient(false) is only "
                    + "for layer 0 of a MultiLayerNetwork, whose input gradient nobody uses; the layers below need it here");
        }
        return LayerWiring.wire(new io.github.widenet.layers.runtime.WidthScaledLayerRuntime(conf, networkDataType), conf,
                trainingListeners, layerIndex, layerParamsView, initializeParams);
    }

    @Override
    public ParamInitializer initializer() {
        return WidthScaledParamInitializer.getInstance();
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType outputType = getOutputType(-1, inputType);
        long numParams = initializer().numParams(this);
        long updaterState = getIUpdater() == null ? 0 : getIUpdater().stateSize(numParams);
        // Training keeps the hidden pre-activations and activations (2·m per example); inference needs them once.
        return new LayerMemoryReport.Builder(layerName, WidthScaledLayer.class, inputType, outputType)
                .standardMemory(numParams, updaterState)
                .workingMemory(0, 2 * units, 0, 2 * units + inputType.arrayElementsPerExample())
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    /** Hidden width m. */
    public long getUnits() {
        return units;
    }

    public void setUnits(long units) {
        this.units = units;
    }

    /** Exponent p of the output scale m^(-p). */
    public double getScaleExponent() {
        return scaleExponent;
    }

    public void setScaleExponent(double scaleExponent) {
        this.scaleExponent = scaleExponent;
    }

    /** Configured std of the input weights; NaN means the default 1/√nIn. */
    public double getInputWeightStd() {
        return inputWeightStd;
    }

    public void setInputWeightStd(double inputWeightStd) {
        this.inputWeightStd = inputWeightStd;
    }

    public double getBiasStd() {
        return biasStd;
    }

    public void setBiasStd(double biasStd) {
        this.biasStd = biasStd;
    }

    public double getOutputWeightStd() {
        return outputWeightStd;
    }

    public void setOutputWeightStd(double outputWeightStd) {
        this.outputWeightStd = outputWeightStd;
    }

    /** Whether backprop computes ∂L/∂x (true unless the builder's {@code inputGradient(false)}). */
    public boolean isInputGradient() {
        return inputGradient;
    }

    public void setInputGradient(boolean inputGradient) {
        this.inputGradient = inputGradient;
    }

    @Override
    public WidthScaledLayer clone() {
        return (WidthScaledLayer) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof WidthScaledLayer) || !super.equals(o)) return false;
        WidthScaledLayer that = (WidthScaledLayer) o;
        return units == that.units && Double.compare(scaleExponent, that.scaleExponent) == 0
                && Double.compare(inputWeightStd, that.inputWeightStd) == 0
                && Double.compare(biasStd, that.biasStd) == 0
                && Double.compare(outputWeightStd, that.outputWeightStd) == 0 && inputGradient == that.inputGradient;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), units, scaleExponent, inputWeightStd, biasStd, outputWeightStd,
                inputGradient);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(name=" + layerName + ", nIn=" + nIn + ", units=" + units + ", nOut=" + nOut
                + ", p=" + scaleExponent + ", activation=" + activationFn + ")";
    }

    /**
     * Builder: {@code .nIn(d).units(m).nOut(k).activation(...)} plus the initialisation standard deviations.
     * Note that {@link #units(int)} sets the hidden width m here, not nOut as in DL4J's dense builders.
     */
    @SuppressWarnings("unchecked")
    public static class Builder<T extends Builder<T>> extends FeedForwardLayer.Builder<T> {
        protected long units;
        protected double scaleExponent = 1.0;
        protected double inputWeightStd = Double.NaN;
        protected double biasStd = 0.0;
        protected double outputWeightStd = 1.0;
        protected boolean inputGradient = true;

        public Builder() {
        }

        /** Hidden width m (number of units). */
        @Override
        public T units(int units) {
            this.units = units;
            return (T) this;
        }

        /** Hidden width m (number of units). */
        public T units(long units) {
            this.units = units;
            return (T) this;
        }

        /** Exponent p of the output scale m^(-p): 1 = mean field, 1/2 = NTK. */
        public T scaleExponent(double p) {
            this.scaleExponent = p;
            return (T) this;
        }

        /** Std of the i.i.d. Gaussian input weights w_i (default 1/√nIn). */
        public T inputWeightStd(double std) {
            this.inputWeightStd = std;
            return (T) this;
        }

        /** Std of the i.i.d. Gaussian hidden biases b_i (default 0: all zero). */
        public T biasStd(double std) {
            this.biasStd = std;
            return (T) this;
        }

        /** Std of the i.i.d. Gaussian output weights c_i (default 1). */
        public T outputWeightStd(double std) {
            this.outputWeightStd = std;
            return (T) this;
        }

        /**
         * {@code false}: backprop returns no gradient with respect to the input (null) and skips the product ∂L/∂Z·Wᵀ, a
         * third of a training step's flops. Only for layer 0 of a MultiLayerNetwork, whose input gradient DL4J discards
         * (then {@code MultiLayerNetwork.calculateGradients} returns none either); refused at init anywhere else.
         * Parameter gradients are unchanged.
         */
        public T inputGradient(boolean compute) {
            this.inputGradient = compute;
            return (T) this;
        }

        /** The hidden nonlinearity σ; when not set, the network-wide default applies, as for DL4J's own layers. */
        @Override
        public T activation(Activation activation) {
            return super.activation(activation);
        }

        @Override
        public T activation(IActivation activation) {
            return super.activation(activation);
        }

        @Override
        public WidthScaledLayer build() {
            return new WidthScaledLayer(this);
        }
    }
}
