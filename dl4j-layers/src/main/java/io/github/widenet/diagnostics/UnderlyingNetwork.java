package io.github.widenet.diagnostics;

import io.github.widenet.internal.wrap.EmbeddedNetworkRuntime;
import io.github.widenet.internal.wrap.InnerGraph;
import io.github.widenet.internal.wrap.LogitsModel;
import io.github.widenet.internal.wrap.ParamLayout;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ordinary network behind a model: for a network made by the lazy or linearized wrapper, the original network
 * (logits part) at the current trainable parameters w, with the stored w0; for a plain network, the network itself, whose
 * initial parameters are whatever {@link #snapshotInitial()} captured. Gives the flat w (and w0), the parameter layout, and
 * a graph evaluated at w for probing activations.
 */
public final class UnderlyingNetwork {

    private final Model model;
    private final ComputationGraphConfiguration logits;
    private final ParamLayout layout;
    private final EmbeddedNetworkRuntime<?> embedding;
    private INDArray initialSnapshot;
    private INDArray buffer;
    private InnerGraph graph;

    private UnderlyingNetwork(Model model, ComputationGraphConfiguration logits, EmbeddedNetworkRuntime<?> embedding) {
        this.model = model;
        this.logits = logits;
        this.layout = ParamLayout.of(logits);
        this.embedding = embedding;
    }

    /** The network behind {@code model} (wrapped or plain). */
    public static UnderlyingNetwork of(Model model) {
        EmbeddedNetworkRuntime<?> e = embeddingOf(model);
        if (e != null) {
            return new UnderlyingNetwork(model, e.layerConf().network(), e);
        }
        LogitsModel h = model instanceof MultiLayerNetwork ? LogitsModel.of((MultiLayerNetwork) model)
                : LogitsModel.of((ComputationGraph) model);
        UnderlyingNetwork u = new UnderlyingNetwork(model, h.logits(), null);
        if (u.layout.total() != model.params().length()) {
            throw new IllegalArgumentException("the network's parameters (" + model.params().length()
                    + ") do not all belong to its logits network (" + u.layout.total() + ")");
        }
        return u;
    }

    private static EmbeddedNetworkRuntime<?> embeddingOf(Model model) {
        String name = io.github.widenet.internal.wrap.WrappedNetworks.LAYER;
        Layer first = model instanceof MultiLayerNetwork ? ((MultiLayerNetwork) model).getLayer(0)
                : model instanceof ComputationGraph g && g.getConfiguration().getVertices().containsKey(name)
                ? g.getLayer(name) : null;      // a plain graph has no layer of that name
        return first instanceof EmbeddedNetworkRuntime ? (EmbeddedNetworkRuntime<?>) first : null;
    }

    /** True for a network made by the lazy or linearized wrapper (w0 is stored in the model). */
    public boolean isWrapped() {
        return embedding != null;
    }

    /** Which part of the flat parameters is which layer's (for this package's diagnostics). */
    ParamLayout layout() {
        return layout;
    }

    /** The current parameters w (flat; a view for wrapped and plain networks alike). */
    public INDArray current() {
        return embedding != null ? embedding.trainable() : model.params().reshape(model.params().length());
    }

    /** Records the plain network's current parameters as w0 (wrapped networks store their own). */
    public UnderlyingNetwork snapshotInitial() {
        if (embedding == null) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                initialSnapshot = current().dup();
            }
        }
        return this;
    }

    /** Uses {@code w0} (flat, the network's layout; copied) as the plain network's initial parameters. */
    public UnderlyingNetwork withInitial(INDArray w0) {
        if (embedding != null) {
            throw new IllegalStateException("a wrapped network stores its own w0; it cannot be replaced");
        }
        if (w0.length() != layout.total()) {
            throw new IllegalArgumentException("initial parameters have " + w0.length() + " values, the network has "
                    + layout.total());
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            initialSnapshot = w0.reshape(w0.length()).castTo(current().dataType()).dup();
        }
        return this;
    }

    /** The configuration of the (logits part of the) network. */
    public ComputationGraphConfiguration logits() {
        return logits;
    }

    /** w0: stored (wrapped) or snapshotted (plain); null if a plain network was never snapshotted. */
    public INDArray initial() {
        return embedding != null ? embedding.initial() : initialSnapshot;
    }

    /**
     * The logits h(w, x) at the current parameters w, in inference mode (a wrapped network's h, not its
     * α·(h(w) − h(w0)) output): e.g. h(w0, x) of a freshly initialised network.
     */
    public INDArray logitsAt(INDArray x) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return atCurrent().forward(x, false).dup();
        }
    }

    /** The network evaluated at the current w (a private copy of the parameters, refreshed on every call). */
    InnerGraph atCurrent() {
        return at(current());
    }

    /** The network evaluated at given flat parameters (copied). */
    InnerGraph at(INDArray params) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            if (buffer == null) {
                buffer = Nd4j.create(params.dataType(), layout.total());
                graph = new InnerGraph(logits, buffer, null);
            }
            buffer.assign(params);
        }
        return graph;
    }
}
