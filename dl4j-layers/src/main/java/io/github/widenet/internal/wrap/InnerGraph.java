package io.github.widenet.internal.wrap;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;
import java.util.Map;

/**
 * A network embedded in a layer: a {@link ComputationGraph} whose parameters (and, optionally, gradients) are views of the
 * host layer's arrays, driven vertex by vertex in topological order with detached arrays (no workspaces), so it can run
 * inside another network's forward and backward passes. Keeps every vertex's last output for tangent propagation.
 */
public final class InnerGraph {

    private Map<String, String> userNames = Map.of();

    private final ComputationGraph graph;
    private final GraphVertex[] vertices;
    private final int[] order;
    private final int outputVertex;
    private final INDArray[] outputs;
    private final RecyclingWorkspaceMgr wsm;
    /** Intermediate arrays this graph created in its last passes; released at the start of the next forward pass. */
    private final java.util.List<INDArray> owned = new java.util.ArrayList<>();
    private INDArray lastInput;

    /**
     * @param conf      the logits network configuration (a copy is instantiated)
     * @param params    flat parameter view the graph uses directly (length = the graph's number of parameters)
     * @param gradients flat gradient view the graph's backprop writes into, or null for a graph that is never trained
     */
    public InnerGraph(ComputationGraphConfiguration conf, INDArray params, INDArray gradients) {
        ComputationGraphConfiguration c = GraphConfigs.copy(conf);
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
        this.wsm = workspaces(vertices.length);
    }

    /**
     * Activations and gradients between layers live outside workspaces (they must survive from the forward pass to the
     * backward pass and to the caller) in arrays recycled from pass to pass ({@link RecyclingWorkspaceMgr}), while each
     * layer's working memory (e.g. im2col buffers) uses this graph's own reusable workspace, scoped to the layer call as
     * in DL4J's networks, and recurrent layers' time-step loops a second one.
     */
    private static RecyclingWorkspaceMgr workspaces(int vertices) {
        String name = "WS_WIDENET_INNER_WORKING_" + System.identityHashCode(new Object());
        org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration conf =
                org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration.builder()
                        .initialSize(0).overallocationLimit(0.02)
                        .policyLearning(org.nd4j.linalg.api.memory.enums.LearningPolicy.OVER_TIME)
                        .cyclesBeforeInitialization(2 * vertices)
                        .policyReset(org.nd4j.linalg.api.memory.enums.ResetPolicy.BLOCK_LEFT)
                        .policySpill(org.nd4j.linalg.api.memory.enums.SpillPolicy.REALLOCATE)
                        .policyAllocation(org.nd4j.linalg.api.memory.enums.AllocationPolicy.OVERALLOCATE)
                        .build();
        java.util.Set<ArrayType> outside = java.util.EnumSet.of(ArrayType.INPUT, ArrayType.ACTIVATIONS,
                ArrayType.ACTIVATION_GRAD, ArrayType.FF_CACHE, ArrayType.UPDATER_WORKING_MEM);
        java.util.Map<ArrayType, org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration> configs =
                new java.util.EnumMap<>(ArrayType.class);
        java.util.Map<ArrayType, String> names = new java.util.EnumMap<>(ArrayType.class);
        for (ArrayType t : new ArrayType[]{ArrayType.FF_WORKING_MEM, ArrayType.BP_WORKING_MEM}) {
            configs.put(t, conf);
            names.put(t, name);
        }
        // recurrent layers open their per-time-step loop workspace inside the layer's working memory (LSTM's backprop
        // recomputes its forward pass there): under the same name the inner scope reset the outer one's arrays
        // ("outdated workspace pointer"), so the loops get their own workspace, as in DL4J's networks
        for (ArrayType t : new ArrayType[]{ArrayType.RNN_FF_LOOP_WORKING_MEM, ArrayType.RNN_BP_LOOP_WORKING_MEM}) {
            configs.put(t, conf);
            names.put(t, name.replace("_WORKING_", "_RNN_LOOP_"));
        }
        return new RecyclingWorkspaceMgr(outside, configs, names);
    }

    /** Frees the previous passes' intermediate arrays now instead of waiting for the garbage collector. */
    private void releaseOwned() {
        java.util.Set<INDArray> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (INDArray a : owned) {
            if (a != null && a != lastInput && seen.add(a) && !wsm.owns(a) && a.closeable()) {
                a.close();
            }
        }
        owned.clear();
        wsm.recycle();
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

    /**
     * Forward pass; in training mode every layer keeps its input for {@link #backward}. Returns h(x), which stays valid
     * until the next forward pass (intermediate arrays of earlier passes are released then; copy what must live longer).
     */
    public INDArray forward(INDArray x, boolean training) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            releaseOwned();
            lastInput = x;
            graph.setInputs(x);
            Arrays.fill(outputs, null);
            for (int idx : order) {
                GraphVertex v = vertices[idx];
                if (v.isInputVertex()) {
                    outputs[idx] = x;
                    continue;
                }
                try (MemoryWorkspace ws = wsm.notifyScopeEntered(ArrayType.FF_WORKING_MEM)) {
                    VertexIndices[] in = v.getInputVertices();
                    for (int j = 0; j < in.length; j++) {
                        v.setInput(j, outputs[in[j].getVertexIndex()], wsm);
                    }
                    try {
                        outputs[idx] = v.doForward(training, wsm);
                    } catch (org.deeplearning4j.exception.DL4JInvalidInputException e) {
                        throw new org.deeplearning4j.exception.DL4JInvalidInputException(renamed(e.getMessage(), v,
                                userNames), e);
                    }
                }
                owned.add(outputs[idx]);
            }
            return outputs[outputVertex];
        }
    }

    /** The user's layer names by vertex ("0" → "hidden"), for messages; the graph builder renamed the layers. */
    public void names(Map<String, String> names) {
        this.userNames = names == null ? Map.of() : names;
    }

    /**
     * DL4J's message about a vertex of this inner graph, naming it as the user knows it: "(layer name: 0, layer index: 1,
     * layer type: DenseLayer)" (the inner graph's vertex index, one more than the user's layer index) becomes
     * "(layer 0 'hidden' (DenseLayer) of the wrapped network)"; graph vertices become "vertex 'name'".
     */
    static String renamed(String message, GraphVertex v, Map<String, String> userNames) {
        String name = v.getVertexName();
        String desc = name.matches("\\d+") ? "layer " + name : "vertex '" + name + "'";
        if (userNames.containsKey(name)) {
            desc += " '" + userNames.get(name) + "'";
        }
        if (v.hasLayer()) {
            desc += " (" + v.getLayer().conf().getLayer().getClass().getSimpleName() + ")";
        }
        desc += " of the wrapped network";
        String m = message == null ? "" : message;
        String replaced = m.replaceAll("\\(layer name: [^,]*, layer index: \\d+, layer type: [^)]*\\)",
                java.util.regex.Matcher.quoteReplacement("(" + desc + ")"));
        return replaced.equals(m) ? m + " (at " + desc + ")" : replaced;
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
                INDArray[] back;
                try (MemoryWorkspace ws = wsm.notifyScopeEntered(ArrayType.BP_WORKING_MEM)) {
                    Pair<Gradient, INDArray[]> p = v.doBackward(false, wsm);
                    back = p.getSecond();
                }
                VertexIndices[] in = v.getInputVertices();
                for (int j = 0; j < in.length; j++) {
                    if (back == null || back[j] == null) {
                        continue;
                    }
                    int src = in[j].getVertexIndex();
                    eps[src] = eps[src] == null ? back[j] : eps[src].add(back[j]);
                    if (!vertices[src].isInputVertex()) {
                        owned.add(back[j]);
                        owned.add(eps[src]);
                    }
                }
            }
            return inputEpsilon;
        }
    }

    /** The runtime layer of vertex {@code idx}, or null for a non-layer vertex. */
    public Layer layer(int idx) {
        return vertices[idx].hasLayer() ? vertices[idx].getLayer() : null;
    }
}
