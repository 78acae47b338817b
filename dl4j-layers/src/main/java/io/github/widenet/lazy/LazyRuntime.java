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
 * The implementation of {@link LazyLayerRuntime}. The input gradient is not computed (the layer is meant to be the first
 * layer of a wrapped network) and null is returned for it.
 */
final class LazyRuntime extends EmbeddedNetworkRuntime<LazyLayer> implements LazyLayerRuntime {

    private InnerGraph trainable;
    private InnerGraph initial;
    private InitialOutputCache cache;
    private long cacheVersion = -1;

    LazyRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    protected void buildGraphs() {
        trainable = new InnerGraph(layerConf().network(), trainable(), trainableGradientOrNull());
        initial = new InnerGraph(layerConf().network(), initial(), null);
    }

    /** The embedded network at the current (trainable) parameters w: the one backpropagated. */
    @Override
    protected InnerGraph trainedNetwork() {
        ensureGraphs();
        return trainable;
    }

    @Override
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

    @Override
    public void clearCache() {
        cache = null;
    }

    @Override
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
