package io.github.widenet.internal.wrap;

import io.github.widenet.wrap.EmbeddedNetworkLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.regularization.Regularization;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runtime base of the layers that embed a network: keeps the [w | w0] parameter and gradient arrays and their per-key
 * views, and leaves the forward and backward passes to subclasses. The w0 half of the gradient is never written, so it
 * stays zero and the frozen copy never moves.
 */
public abstract class EmbeddedNetworkRuntime<C extends EmbeddedNetworkLayer> extends AbstractLayer<C>
        implements io.github.widenet.wrap.EmbeddingRuntime {

    private INDArray paramsFlat;
    private INDArray gradientsFlat;
    private Map<String, INDArray> params = new LinkedHashMap<>();
    private Map<String, INDArray> gradientViews = new LinkedHashMap<>();
    private Gradient gradient;
    private double score;
    /** Incremented whenever parameters are replaced through the Layer API, so caches of h(w0, ·) can be dropped. */
    private long paramsVersion;
    /** The parameter array the embedded networks were built over. */
    private INDArray builtForParams;

    protected EmbeddedNetworkRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private long backwardSteps;

    /**
     * Call at the end of every backward pass: every {@link EmbeddedNetworkLayer#getCollectEverySteps()} passes it runs
     * a garbage collection, so the off-heap buffers of the embedded networks' collected arrays are freed.
     */
    protected void backwardDone() {
        int every = layerConf().getCollectEverySteps();
        if (every > 0 && ++backwardSteps % every == 0) {
            System.gc();
        }
    }

    /** The trainable half w (a flat view). */
    public INDArray trainable() {
        return half(paramsFlat, 0);
    }

    /** The frozen half w0 (a flat view). */
    public INDArray initial() {
        return half(paramsFlat, 1);
    }

    /** The gradient of the trainable half (a flat view). */
    protected INDArray trainableGradient() {
        return half(gradientsFlat, 0);
    }

    private INDArray half(INDArray flat, int which) {
        if (flat == null) {
            throw new IllegalStateException(layerConf().getClass().getSimpleName() + " has no parameters yet (init())");
        }
        long n = flat.length() / 2;                  // [w | w0]: the two halves have h's parameter count each
        return flat.reshape(flat.length()).get(NDArrayIndex.interval(which * n, (which + 1) * n));
    }

    protected long paramsVersion() {
        return paramsVersion;
    }

    /** Called when parameters were replaced; subclasses drop derived state. */
    protected void paramsChanged() {
        paramsVersion++;
    }

    /** Builds the Gradient object over the trainable gradient views (w0 keys included, always zero). */
    protected Gradient gradientObject() {
        Gradient g = new DefaultGradient(gradientsFlat);
        for (Map.Entry<String, INDArray> e : gradientViews.entrySet()) {
            g.gradientForVariable().put(e.getKey(), e.getValue());
        }
        return g;
    }

    /** Wraps a backprop result: the gradient (already in the views) and the input epsilon (may be null). */
    protected Pair<Gradient, INDArray> result(INDArray inputEpsilon, LayerWorkspaceMgr workspaceMgr) {
        gradient = gradientObject();
        INDArray eps = inputEpsilon == null ? null : workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, inputEpsilon);
        return new Pair<>(gradient, eps);
    }

    /** Puts a detached result array into the caller's activation workspace. */
    protected INDArray activation(INDArray out, LayerWorkspaceMgr workspaceMgr) {
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, out);
    }

    /** Reports NaN/Inf in the input minibatch (see {@link io.github.widenet.layers.runtime.NonFiniteCheck}). */
    protected void requireFiniteInput(INDArray x) {
        refuseFreezing();
        io.github.widenet.layers.runtime.NonFiniteCheck.input(x, describe(), getIterationCount(), getEpochCount());
    }

    private boolean checkedFrozen;

    /**
     * Refuses, at the first forward pass, DL4J's runtime FrozenLayer / FrozenLayerWithBackprop around this layer (what
     * TransferLearning's {@code setFeatureExtractor(0)} on a wrapped network makes): this layer is the whole wrapped
     * model, so freezing it would freeze every parameter. Detected from the caller, once.
     */
    private void refuseFreezing() {
        if (checkedFrozen) {
            return;
        }
        boolean frozen = StackWalker.getInstance().walk(frames -> frames.limit(8).anyMatch(f ->
                f.getClassName().startsWith("org.deeplearning4j.nn.layers.FrozenLayer")));
        if (frozen) {
            throw new IllegalArgumentException(WrappedNetworks.frozenMessage(layerConf()));
        }
        checkedFrozen = true;
    }

    /** Reports NaN/Inf in the output, naming the non-finite parameter of w or w0 if any. */
    protected void requireFiniteOutput(INDArray out) {
        io.github.widenet.layers.runtime.NonFiniteCheck.output(out, params, describe(), getIterationCount(),
                getEpochCount());
    }

    protected String describe() {
        String name = layerConf().getLayerName();
        return layerConf().getClass().getSimpleName() + (name == null ? "" : " '" + name + "'");
    }

    // ---- the Layer parameter API, over the flat [w | w0] arrays ----

    @Override
    public INDArray params() {
        return paramsFlat;
    }

    @Override
    public long numParams() {
        return paramsFlat == null ? 0 : paramsFlat.length();
    }

    @Override
    public long numParams(boolean backwards) {
        return numParams();
    }

    @Override
    public INDArray getParam(String param) {
        return params.get(param);
    }

    @Override
    public void setParam(String key, INDArray val) {
        INDArray target = params.get(key);
        if (target == null) {
            throw new IllegalArgumentException(describe() + " has no parameter '" + key + "'");
        }
        if (target.length() != val.length()) {
            throw new IllegalArgumentException(describe() + ": parameter '" + key + "' has " + target.length()
                    + " values, got " + val.length());
        }
        target.assign(val.reshape(target.shape()));
        paramsChanged();
    }

    @Override
    public void setParams(INDArray newParams) {
        if (newParams == paramsFlat) {
            return;
        }
        if (newParams.length() != numParams()) {
            throw new IllegalArgumentException(describe() + ": expected " + numParams() + " parameters, got "
                    + newParams.length());
        }
        paramsFlat.assign(newParams.reshape(paramsFlat.shape()));
        paramsChanged();
    }

    @Override
    public void setParamsViewArray(INDArray view) {
        this.paramsFlat = view;
        paramsChanged();
    }

    @Override
    public void setParamTable(Map<String, INDArray> table) {
        this.params = table;
        paramsChanged();
    }

    @Override
    public Map<String, INDArray> paramTable() {
        return params;
    }

    @Override
    public Map<String, INDArray> paramTable(boolean backpropParamsOnly) {
        return params;
    }

    @Override
    public INDArray getGradientsViewArray() {
        return gradientsFlat;
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray gradients) {
        this.gradientsFlat = gradients;
        this.gradientViews = conf.getLayer().initializer().getGradientsFromFlattened(conf, gradients);
        gradientsChanged();
    }

    /** Points the trained embedded network's backprop at the (new) trainable half of the gradient array. */
    private void gradientsChanged() {
        if (builtForParams != null) {
            trainedNetwork().bindGradients(trainableGradient());
        }
    }

    /**
     * Builds the embedded networks over the current parameter array (when it was replaced since the last call), keeping
     * them otherwise, so the state of a forward pass survives until its backward pass.
     */
    protected final void ensureGraphs() {
        if (builtForParams != params()) {
            buildGraphs();
            builtForParams = params();
            trainedNetwork().names(layerConf().getLayerNames());     // after: trainedNetwork() may call ensureGraphs
        }
    }

    /** Creates the embedded networks over {@link #trainable()} / {@link #initial()} (and the trainable gradient). */
    protected abstract void buildGraphs();

    /** The trainable gradient's view, or null before DL4J has assigned the gradient array. */
    protected INDArray trainableGradientOrNull() {
        return getGradientsViewArray() == null ? null : trainableGradient();
    }

    @Override
    public Gradient gradient() {
        return gradient;
    }

    @Override
    public double score() {
        return score;
    }

    @Override
    public void update(INDArray gradient, String paramType) {
        throw new UnsupportedOperationException(describe() + ": parameters are updated by the network's updater");
    }

    @Override
    public double calcRegularizationScore(boolean backpropParamsOnly) {
        double sum = 0;
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            List<Regularization> regs = layerConf().getRegularizationByParam(e.getKey());
            if (regs == null) {
                continue;
            }
            for (Regularization r : regs) {
                sum += r.score(e.getValue(), getIterationCount(), getEpochCount());
            }
        }
        return sum;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    /** The embedded network whose backprop writes the trainable half's gradient. */
    protected abstract InnerGraph trainedNetwork();

    /**
     * As the embedded layer owning the parameter says (e.g. false for BatchNormalization's running mean and variance,
     * whose "gradient" is the update itself); the frozen half's gradient is zero anyway.
     */
    @Override
    public boolean updaterDivideByMinibatch(String paramName) {
        if (EmbeddedNetworkLayer.isInitial(paramName)) {
            return false;
        }
        String inner = layerConf().innerKey(paramName);
        org.deeplearning4j.nn.api.Layer owner = trainedNetwork().graph().getLayer(ParamLayout.vertexOf(inner));
        return owner == null || owner.updaterDivideByMinibatch(ParamLayout.paramOf(inner));
    }

    /**
     * Refuses a feature mask: the embedded network runs without masks (its recurrent layers would read the padding as
     * data), so a masked minibatch would silently train on the wrong model.
     */
    @Override
    public void setMaskArray(INDArray maskArray) {
        requireNoMask(maskArray);
        super.setMaskArray(null);
    }

    @Override
    public org.nd4j.common.primitives.Pair<INDArray, org.deeplearning4j.nn.api.MaskState> feedForwardMaskArray(
            INDArray maskArray, org.deeplearning4j.nn.api.MaskState currentMaskState, int minibatchSize) {
        requireNoMask(maskArray);
        return super.feedForwardMaskArray(null, currentMaskState, minibatchSize);
    }

    private void requireNoMask(INDArray maskArray) {
        if (maskArray != null) {
            throw new UnsupportedOperationException(describe() + ": the minibatch has a feature mask "
                    + java.util.Arrays.toString(maskArray.shape()) + ", which wrapped networks do not support (the "
                    + "embedded network would read the padding as data): use equal-length, unmasked sequences");
        }
    }

    @Override
    public void clearNoiseWeightParams() {
    }

    @Override
    public Type type() {
        return Type.FEED_FORWARD;
    }
}
