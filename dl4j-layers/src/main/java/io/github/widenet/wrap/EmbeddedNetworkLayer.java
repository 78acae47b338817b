package io.github.widenet.wrap;

import io.github.widenet.internal.params.LayerWiring;
import io.github.widenet.internal.wrap.EmbeddedNetworkParamInitializer;
import io.github.widenet.internal.wrap.ParamLayout;
import io.github.widenet.internal.wrap.ParamOwner;
import io.github.widenet.internal.wrap.WrappedNetworks;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.api.TrainingConfig;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.Regularization;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Base configuration of a layer that embeds a whole logits network h (a ComputationGraph configuration kept as JSON) and
 * holds two copies of its parameters: the trainable w and the frozen initial w0, laid out as [w | w0]. Parameter keys are
 * {@code "w." + key} and {@code "w0." + key} for every parameter key of h with '_' written '.' (h's {@code "0_W"} becomes
 * {@code "w.0.W"} and {@code "w0.0.W"}: DL4J's updater reserves '_' for its own layer prefix). Each w parameter keeps
 * the updater and regularization its layer had in the original network; w0 parameters get {@link NoOp}, no
 * regularization, are skipped by the updater (declared pretrain parameters), and their gradient is always exactly zero,
 * so they never change.
 */
public abstract class EmbeddedNetworkLayer extends Layer {

    public static final String TRAINABLE_PREFIX = "w.";
    public static final String INITIAL_PREFIX = "w0.";

    private String networkJson;
    private long nOut;
    private double alpha = 1.0;
    private int collectEverySteps = DEFAULT_COLLECT_EVERY_STEPS;

    /**
     * Training steps between garbage collections by default. The embedded networks' activations and gradients live
     * outside DL4J's workspaces, and ND4J frees such off-heap buffers only when the JVM collects their Java objects,
     * which with a large heap and little heap garbage it rarely does: lazy and linearized VGG-11 ÷4 held gigabytes
     * resident without collections. A collection costs less than a VGG step.
     */
    public static final int DEFAULT_COLLECT_EVERY_STEPS = 25;
    private java.util.Map<String, String> layerNames = new java.util.HashMap<>();
    private transient ComputationGraphConfiguration network;

    protected EmbeddedNetworkLayer() {
    }

    protected EmbeddedNetworkLayer(ComputationGraphConfiguration network, long nOut, String name) {
        this.networkJson = network.toJson();
        this.nOut = nOut;
        this.layerName = name;
    }

    /** The embedded logits network's configuration (parsed once). */
    public ComputationGraphConfiguration network() {
        if (network == null) {
            network = ComputationGraphConfiguration.fromJson(networkJson);
        }
        return network;
    }

    private ParamLayout layout() {
        return ParamLayout.of(this);
    }

    public String getNetworkJson() {
        return networkJson;
    }

    public void setNetworkJson(String networkJson) {
        this.networkJson = networkJson;
        this.network = null;
    }

    /** The wrapped MultiLayerNetwork's own layer names by vertex ("0" → "hidden"), for messages. */
    public java.util.Map<String, String> getLayerNames() {
        return layerNames;
    }

    public void setLayerNames(java.util.Map<String, String> layerNames) {
        this.layerNames = layerNames == null ? new java.util.HashMap<>() : new java.util.HashMap<>(layerNames);
    }

    /** Number of outputs of h (logits). */
    public long getNOut() {
        return nOut;
    }

    public void setNOut(long nOut) {
        this.nOut = nOut;
    }

    @Override
    public ParamInitializer initializer() {
        return EmbeddedNetworkParamInitializer.getInstance();
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray paramsView, boolean initializeParams,
                                                       DataType networkDataType) {
        refuseFreezing();
        return LayerWiring.wire(newRuntime(conf, networkDataType), conf, listeners, layerIndex, paramsView,
                initializeParams);
    }

    /**
     * Refuses DL4J's FrozenLayer / FrozenLayerWithBackprop around this layer (as TransferLearning's
     * {@code setFeatureExtractor(0)} on a wrapped network makes): this layer is the whole wrapped model, so freezing it
     * freezes every parameter. Detected from the caller (FrozenLayer.instantiate builds the layer it wraps).
     */
    private void refuseFreezing() {
        boolean frozen = StackWalker.getInstance().walk(frames -> frames.limit(12).anyMatch(f ->
                f.getClassName().startsWith("org.deeplearning4j.nn.conf.layers.misc.FrozenLayer")));
        if (frozen) {
            throw new IllegalArgumentException(WrappedNetworks.frozenMessage(this));
        }
    }

    /** The runtime layer of this configuration. */
    protected abstract org.deeplearning4j.nn.api.Layer newRuntime(NeuralNetConfiguration conf, DataType dataType);

    /** The output scale α (the loss is divided by α² by the wrappers). */
    public double getAlpha() {
        return alpha;
    }

    public void setAlpha(double alpha) {
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("alpha must be finite and > 0, got " + alpha);
        }
        this.alpha = alpha;
    }

    /** Training steps (backward passes) between garbage collections; 0 = never. */
    public int getCollectEverySteps() {
        return collectEverySteps;
    }

    public void setCollectEverySteps(int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("collectEverySteps must be >= 0, got " + steps);
        }
        this.collectEverySteps = steps;
    }

    /** The factor 1/α² on the original loss that goes with the output scale α (the one place it is derived). */
    public double lossFactor() {
        return 1.0 / (alpha * alpha);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return InputType.feedForward(nOut);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        // the embedded network takes the raw input; nothing to infer
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    /** The configuration of the embedded layer owning a key such as {@code "w.conv1.W"} (see {@link ParamOwner}). */
    private TrainingConfig innerLayer(String paramName) {
        GraphVertex v = network().getVertices().get(ParamLayout.vertexOf(innerKey(paramName)));
        if (!(v instanceof LayerVertex)) {
            throw new IllegalArgumentException("no layer for parameter '" + paramName + "'");
        }
        return ParamOwner.of(((LayerVertex) v).getLayerConf().getLayer());
    }

    /** {@code "w.0.W"} or {@code "w0.0.W"} → h's key {@code "0_W"}. */
    public String innerKey(String paramName) {
        return layout().keys().get(layout().indexOf(paramName));
    }

    /** This layer's key for h's parameter key {@code inner}, in the trainable or the frozen half. */
    public static String hostKey(String inner, boolean initial) {
        return (initial ? INITIAL_PREFIX : TRAINABLE_PREFIX) + inner.replace('_', '.');
    }

    public static boolean isInitial(String paramName) {
        return paramName.startsWith(INITIAL_PREFIX);
    }

    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        if (isInitial(paramName)) {
            return Collections.emptyList();
        }
        return innerLayer(paramName).getRegularizationByParam(ParamLayout.paramOf(innerKey(paramName)));
    }

    @Override
    public IUpdater getUpdaterByParam(String paramName) {
        if (isInitial(paramName) || isFrozen(paramName)) {
            return new NoOp();
        }
        return innerLayer(paramName).getUpdaterByParam(ParamLayout.paramOf(innerKey(paramName)));
    }

    /**
     * The frozen w0 parameters, and the parameters of the network's own frozen layers (FrozenLayer,
     * FrozenLayerWithBackprop: DL4J gives them no updater), are declared "pretrain" parameters: DL4J's updater then skips
     * their block entirely during ordinary training (as it does for a VAE's decoder), so they never change and the frozen
     * half costs no updater work.
     */
    @Override
    public boolean isPretrainParam(String paramName) {
        return isInitial(paramName) || isFrozen(paramName);
    }

    /** Whether a trainable-half key belongs to one of the embedded network's frozen layers. */
    private boolean isFrozen(String paramName) {
        TrainingConfig layer = innerLayer(paramName);
        return layer instanceof org.deeplearning4j.nn.conf.layers.misc.FrozenLayer
                || layer instanceof org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
    }

    @Override
    public GradientNormalization getGradientNormalization() {
        return GradientNormalization.None;
    }

    @Override
    public double getGradientNormalizationThreshold() {
        return 1.0;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        long params = 2 * layout().total();
        return new LayerMemoryReport.Builder(layerName, getClass(), inputType, getOutputType(-1, inputType))
                .standardMemory(params, 0)
                .workingMemory(0, 0, 0, 0)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    /** Rejects embedded layers with per-layer gradient normalization, which the single host layer cannot reproduce. */
    protected static void checkGradientNormalization(ComputationGraphConfiguration network) {
        checkGradientNormalization(network, vertex -> "layer '" + vertex + "'");
    }

    /** As {@link #checkGradientNormalization(ComputationGraphConfiguration)}, naming a vertex by {@code describe}. */
    public static void checkGradientNormalization(ComputationGraphConfiguration network,
                                                  java.util.function.Function<String, String> describe) {
        for (var e : network.getVertices().entrySet()) {
            if (e.getValue() instanceof LayerVertex) {
                Layer l = ((LayerVertex) e.getValue()).getLayerConf().getLayer();
                Layer owner = ParamOwner.of(l);     // a wrapper layer's inner layer (TimeDistributed, LastTimeStep, …)
                if (owner instanceof org.deeplearning4j.nn.conf.layers.BaseLayer
                        && ((org.deeplearning4j.nn.conf.layers.BaseLayer) owner).getGradientNormalization()
                        != GradientNormalization.None) {
                    l = owner;
                }
                if (l instanceof org.deeplearning4j.nn.conf.layers.BaseLayer
                        && ((org.deeplearning4j.nn.conf.layers.BaseLayer) l).getGradientNormalization()
                        != GradientNormalization.None) {
                    throw new IllegalArgumentException(describe.apply(e.getKey()) + " (" + l.getClass().getSimpleName()
                            + ") uses gradient normalization "
                            + ((org.deeplearning4j.nn.conf.layers.BaseLayer) l).getGradientNormalization()
                            + ", which a wrapped network cannot apply per layer; remove it before wrapping");
                }
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (o == null || getClass() != o.getClass() || !super.equals(o)) return false;
        EmbeddedNetworkLayer that = (EmbeddedNetworkLayer) o;
        return nOut == that.nOut && Double.compare(alpha, that.alpha) == 0 && Objects.equals(networkJson, that.networkJson);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), networkJson, nOut, alpha);
    }
}
