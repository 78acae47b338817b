package io.github.widenet.wrap;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;

/**
 * A network embedded in a layer: a {@link ComputationGraph} whose parameters (and, optionally, gradients) are views of the
 * host layer's arrays, driven vertex by vertex in topological order with detached arrays (no workspaces), so it can run
 * inside another network's forward and backward passes. Keeps every vertex's last output for tangent propagation.
 */
public final class InnerGraph {

    private final ComputationGraph graph;
    private final GraphVertex[] vertices;
    private final int[] order;
    private final int outputVertex;
    private final INDArray[] outputs;
    private final LayerWorkspaceMgr wsm = LayerWorkspaceMgr.noWorkspaces();

    /**
     * @param conf      the logits network configuration (a copy is instantiated)
     * @param params    flat parameter view the graph uses directly (length = the graph's number of parameters)
     * @param gradients flat gradient view the graph's backprop writes into, or null for a graph that is never trained
     */
    public InnerGraph(ComputationGraphConfiguration conf, INDArray params, INDArray gradients) {
        ComputationGraphConfiguration c = conf.clone();
        c.setTrainingWorkspaceMode(WorkspaceMode.NONE);
        c.setInferenceWorkspaceMode(WorkspaceMode.NONE);
        this.graph = new ComputationGraph(c);
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            graph.init(params.reshape(1, params.length()), false);
            if (gradients != null) {
                bindGradients(gradients);
            }
        }
        this.vertices = graph.getVertices();
        this.order = graph.topologicalSortOrder();
        this.outputVertex = graph.getConfiguration().getNetworkOutputs().stream()
                .mapToInt(name -> graph.getVertex(name).getVertexIndex()).findFirst().orElseThrow();
        this.outputs = new INDArray[vertices.length];
    }

    /**
     * Makes backprop write into {@code gradients} (the host's array; mirrors ComputationGraph.initGradientsView). Keeps
     * the state of the last forward pass.
     */
    public void bindGradients(INDArray gradients) {
        INDArray flat = gradients.reshape(gradients.length());
        long offset = 0;
        var confVertices = graph.getConfiguration().getVertices();
        for (int idx : graph.topologicalSortOrder()) {
            GraphVertex v = graph.getVertices()[idx];
            if (v.isInputVertex()) {
                continue;
            }
            long n = confVertices.get(v.getVertexName()).numParams(true);
            if (n > 0) {
                v.setBackpropGradientsViewArray(flat.get(NDArrayIndex.interval(offset, offset + n)));
            }
            offset += n;
        }
        if (offset != flat.length()) {
            throw new IllegalStateException("gradient view has " + flat.length() + " entries, the network needs " + offset);
        }
    }

    public ComputationGraph graph() {
        return graph;
    }

    public GraphVertex[] vertices() {
        return vertices;
    }

    /** Vertex indices in topological order (inputs first). */
    public int[] order() {
        return order;
    }

    public int outputVertexIndex() {
        return outputVertex;
    }

    /** The last forward pass's output of vertex {@code idx}. */
    public INDArray output(int idx) {
        return outputs[idx];
    }

    /** Forward pass; in training mode every layer keeps its input for {@link #backward}. Returns h(x). */
    public INDArray forward(INDArray x, boolean training) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            graph.setInputs(x);
            Arrays.fill(outputs, null);
            for (int idx : order) {
                GraphVertex v = vertices[idx];
                if (v.isInputVertex()) {
                    outputs[idx] = x;
                    continue;
                }
                VertexIndices[] in = v.getInputVertices();
                for (int j = 0; j < in.length; j++) {
                    v.setInput(j, outputs[in[j].getVertexIndex()], wsm);
                }
                outputs[idx] = v.doForward(training, wsm);
            }
            return outputs[outputVertex];
        }
    }

    /**
     * Backward pass from ∂L/∂h after a training-mode {@link #forward}: gradients go into the gradient view; returns
     * ∂L/∂x (null if the layers did not produce one).
     */
    public INDArray backward(INDArray epsilon) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray[] eps = new INDArray[vertices.length];
            eps[outputVertex] = epsilon;
            INDArray inputEpsilon = null;
            for (int k = order.length - 1; k >= 0; k--) {
                int idx = order[k];
                GraphVertex v = vertices[idx];
                if (eps[idx] == null) {
                    continue;              // no path to the output
                }
                if (v.isInputVertex()) {
                    inputEpsilon = eps[idx];
                    continue;
                }
                v.setEpsilon(eps[idx]);
                Pair<Gradient, INDArray[]> p = v.doBackward(false, wsm);
                INDArray[] back = p.getSecond();
                VertexIndices[] in = v.getInputVertices();
                for (int j = 0; j < in.length; j++) {
                    if (back == null || back[j] == null) {
                        continue;
                    }
                    int src = in[j].getVertexIndex();
                    eps[src] = eps[src] == null ? back[j] : eps[src].add(back[j]);
                }
            }
            return inputEpsilon;
        }
    }

    /** The runtime layer of vertex {@code idx}, or null for a non-layer vertex. */
    public Layer layer(int idx) {
        return vertices[idx].hasLayer() ? vertices[idx].getLayer() : null;
    }

    public long numParams() {
        return graph.numParams();
    }

    /** Drops references to the last pass's arrays. */
    public void clear() {
        Arrays.fill(outputs, null);
        for (GraphVertex v : vertices) {
            v.clear();
        }
    }
}
