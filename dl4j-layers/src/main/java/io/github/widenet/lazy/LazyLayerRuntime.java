package io.github.widenet.lazy;

import io.github.widenet.internal.wrap.EmbeddedNetworkRuntime;
import io.github.widenet.internal.wrap.InnerGraph;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime of {@link LazyLayer}: forward α·(h(w, x) − h(w0, x)) with h(w0, x) from a cache when the example was seen
 * before; backward ∂L/∂w = α·J_w h(w, x)ᵀ ∂L/∂out through the trainable copy. The input gradient is not computed (the
 * layer is meant to be the first layer of a wrapped network) and null is returned for it.
 */
public class LazyLayerRuntime extends EmbeddedNetworkRuntime<LazyLayer> {

    private InnerGraph trainable;
    private InnerGraph initial;
    private InitialOutputCache cache;
    private long cacheVersion = -1;

    public LazyLayerRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    protected void buildGraphs() {
        trainable = new InnerGraph(layerConf().network(), trainable(), trainableGradientOrNull());
        initial = new InnerGraph(layerConf().network(), initial(), null);
    }

    /** The embedded network at the current (trainable) parameters w. */
    public InnerGraph trainableNetwork() {
        ensureGraphs();
        return trainable;
    }

    @Override
    protected InnerGraph trainedNetwork() {
        return trainableNetwork();
    }

    /** h(w0, x), from the cache when possible. */
    public INDArray initialOutput(INDArray x) {
        ensureGraphs();
        int size = layerConf().getCacheSize();
        if (size == 0) {
            return initial.forward(x, false).dup();
        }
        if (cache == null || cacheVersion != paramsVersion()) {
            cache = new InitialOutputCache(size);
            cacheVersion = paramsVersion();
        }
        return cache.outputs(x, sub -> initial.forward(sub, false));
    }

    /**
     * Empties the cache of h(w0, x). Needed only if w0 was changed in place through a parameter view; replacing
     * parameters through setParams/setParam clears it automatically.
     */
    public void clearCache() {
        cache = null;
    }

    /** Cache hits and misses so far, e.g. for benchmarks: {hits, misses}. */
    public long[] cacheStatistics() {
        return cache == null ? new long[]{0, 0} : new long[]{cache.hits(), cache.misses()};
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        ensureGraphs();
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray x = input.castTo(dataType);
            requireFiniteInput(x);
            INDArray hw = trainable.forward(x, training);
            INDArray h0 = initialOutput(x).castTo(hw.dataType());
            INDArray out = hw.sub(h0).muli(layerConf().getAlpha());
            requireFiniteOutput(out);
            return activation(out, workspaceMgr);
        }
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        ensureGraphs();
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray eps = epsilon.castTo(dataType).mul(layerConf().getAlpha());
            trainable.backward(eps);
        }
        backwardDone();
        return result(null, workspaceMgr);
    }

}
