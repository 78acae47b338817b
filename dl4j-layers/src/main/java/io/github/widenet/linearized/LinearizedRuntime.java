package io.github.widenet.linearized;

import io.github.widenet.internal.tangent.TangentPass;
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
 * The implementation of {@link LinearizedLayerRuntime}. Forward: the network's primal pass at w0, then the tangent of
 * δ = w − w0 pushed through every vertex in topological order. Backward: DL4J's backprop through the network at w0 with
 * ε·α, written into the gradient of w. The input gradient is not computed (the layer is meant to be the first of a
 * wrapped network) and null is returned.
 */
final class LinearizedRuntime extends EmbeddedNetworkRuntime<LinearizedLayer> implements LinearizedLayerRuntime {

    private InnerGraph primal;
    private TangentPass tangent;

    LinearizedRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    protected void buildGraphs() {
        primal = new InnerGraph(layerConf().network(), initial(), trainableGradientOrNull());
        tangent = new TangentPass(primal, layerConf().network());
    }

    /**
     * The embedded network at the frozen parameters w0 (after a forward pass it holds the primal values): the one
     * backpropagated, as its gradient is the linearized model's gradient in w.
     */
    @Override
    protected InnerGraph trainedNetwork() {
        ensureGraphs();
        return primal;
    }

    @Override
    public INDArray tangent(INDArray x) {
        ensureGraphs();
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            primal.forward(x.castTo(dataType), true);
            return pushTangent((int) x.size(0));
        }
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        ensureGraphs();
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray x = input.castTo(dataType);
            requireFiniteInput(x);
            INDArray h0 = primal.forward(x, true);
            INDArray out = pushTangent((int) x.size(0));
            if (!layerConf().isCentred()) {
                out.addi(h0);
            }
            if (layerConf().getAlpha() != 1.0) {
                out.muli(layerConf().getAlpha());
            }
            requireFiniteOutput(out);
            return activation(out, workspaceMgr);
        }
    }

    /** Pushes δ = w − w0 through the graph after the primal pass; returns the output tangent (detached). */
    private INDArray pushTangent(int batch) {
        tangent.direction().assign(trainable()).subi(initial());
        return tangent.push(batch);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        ensureGraphs();
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray eps = epsilon.castTo(dataType);
            if (layerConf().getAlpha() != 1.0) {
                eps = eps.mul(layerConf().getAlpha());
            }
            primal.backward(eps);
        }
        backwardDone();
        return result(null, workspaceMgr);
    }
}
