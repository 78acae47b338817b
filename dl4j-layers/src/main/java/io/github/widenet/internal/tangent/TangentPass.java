package io.github.widenet.internal.tangent;

import io.github.widenet.internal.wrap.InnerGraph;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Jacobian-vector product J_w h(w0, x)·v of an embedded network, after its primal pass at w0: the parameter
 * direction v (a flat vector in the network's parameter layout, {@link #direction()}) is pushed through every vertex in
 * topological order by the layers' {@link TangentRule}s and {@link VertexTangents}, ḣ = ∂h/∂x·ẋ + ∂h/∂w·v per vertex.
 * Used by the linearized layer (v = w − w0) and by the matrix-free NTK solver (v = Jᵀu).
 * <p>The tangents and the rules' temporaries live in one workspace of this pass, reused from call to call: as garbage they
 * would hold off-heap memory until the JVM collects them (resident memory kept growing on VGG-11/4 before this).
 */
public final class TangentPass {

    private static final WorkspaceConfiguration TANGENT_WORKSPACE = WorkspaceConfiguration.builder()
            .initialSize(0).overallocationLimit(0.05)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policyReset(ResetPolicy.BLOCK_LEFT)
            .policySpill(SpillPolicy.REALLOCATE)
            .policyAllocation(AllocationPolicy.OVERALLOCATE)
            .build();

    private final String workspaceId = "WS_WIDENET_TANGENT_" + System.identityHashCode(this);
    private final InnerGraph primal;
    private final InnerGraph directions;
    private final INDArray direction;
    private final TangentRule[] rules;

    /**
     * @param primal the network at w0, whose last training-mode forward pass the tangent is taken at
     * @param conf   its configuration (the direction's per-layer views are laid out like the parameters)
     */
    public TangentPass(InnerGraph primal, ComputationGraphConfiguration conf) {
        this(primal, conf, TangentRules::forLayer);
    }

    /** With rules from {@code rules} (layer configuration, where) instead of the registry: tests of unregistered rules. */
    TangentPass(InnerGraph primal, ComputationGraphConfiguration conf,
                java.util.function.BiFunction<org.deeplearning4j.nn.conf.layers.Layer, String, TangentRule> rules) {
        this.primal = primal;
        INDArray w0 = primal.graph().params();
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            this.direction = Nd4j.create(w0.dataType(), w0.length());
        }
        this.directions = new InnerGraph(conf, direction, null);
        GraphVertex[] v = primal.vertices();
        this.rules = new TangentRule[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i].hasLayer()) {     // the vertex's own configuration: a frozen layer's runtime reports its inner one's
                var vertex = (org.deeplearning4j.nn.conf.graph.LayerVertex) conf.getVertices().get(v[i].getVertexName());
                this.rules[i] = rules.apply(vertex.getLayerConf().getLayer(), "vertex '" + v[i].getVertexName() + "'");
            }
        }
    }

    /** The flat direction v (length P) the next {@link #push} uses; fill it in place. */
    public INDArray direction() {
        return direction;
    }

    /**
     * J·v for the examples of the primal network's last forward pass (training mode), as a detached array shaped like the
     * network's output (zeros when no parameter reaches the output).
     */
    public INDArray push(int batch) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
             MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(TANGENT_WORKSPACE, workspaceId)) {
            return pushInWorkspace(batch).detach();
        }
    }

    private INDArray pushInWorkspace(int batch) {
        GraphVertex[] v = primal.vertices();
        INDArray[] tangents = new INDArray[v.length];
        for (int idx : primal.order()) {
            GraphVertex vertex = v[idx];
            if (vertex.isInputVertex()) {
                continue;                                    // inputs do not depend on the parameters
            }
            VertexIndices[] in = vertex.getInputVertices();
            if (vertex.hasLayer()) {
                Layer layer = vertex.getLayer();
                INDArray xDot = tangents[in[0].getVertexIndex()];
                xDot = VertexTangents.preprocess(((LayerVertex) vertex).getLayerPreProcessor(), xDot, batch);
                tangents[idx] = rules[idx].pushForward(layer, layer.input(), primal.output(idx), xDot,
                        directions.layer(idx).paramTable());
            } else {
                INDArray[] inputs = new INDArray[in.length];
                INDArray[] inTangents = new INDArray[in.length];
                for (int j = 0; j < in.length; j++) {
                    inputs[j] = primal.output(in[j].getVertexIndex());
                    inTangents[j] = tangents[in[j].getVertexIndex()];
                }
                tangents[idx] = VertexTangents.pushForward(
                        primal.graph().getConfiguration().getVertices().get(vertex.getVertexName()),
                        inputs, inTangents, primal.output(idx), batch);
            }
        }
        INDArray out = tangents[primal.outputVertexIndex()];
        INDArray h0 = primal.output(primal.outputVertexIndex());
        return out == null ? Nd4j.zeros(h0.dataType(), h0.shape()) : out;
    }
}
