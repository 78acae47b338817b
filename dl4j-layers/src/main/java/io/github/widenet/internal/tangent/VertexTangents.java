package io.github.widenet.internal.tangent;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.L2NormalizeVertex;
import org.deeplearning4j.nn.conf.graph.StackVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.graph.UnstackVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Tangents through the parameter-free parts of a graph: preprocessors (reshapes) map ẋ like x;
 * Add/Subtract/Average combine tangents alike; Product gives Σ_j ẋ_j ⊙ Π_{k≠j} x_k; Max takes ẋ_j of the first input
 * holding the maximum; MergeVertex concatenates along its merge axis; ScaleVertex scales; SubsetVertex, StackVertex and
 * UnstackVertex select or stack like their primal; L2NormalizeVertex y = x/n, n = ‖x‖ over its dimensions, gives
 * ẏ = ẋ/n − x·⟨x, ẋ⟩/n³ (ẋ/ε where n is clipped to ε). A null tangent means zero.
 */
public final class VertexTangents {

    /** The vertex types with a tangent rule besides layers, as listed in error messages. */
    public static final String SUPPORTED = "layers, preprocessors, ElementWiseVertex (Add, Subtract, Product, Average, "
            + "Max), MergeVertex, ScaleVertex, SubsetVertex, StackVertex, UnstackVertex, L2NormalizeVertex, "
            + "LastTimeStepVertex (unmasked)";

    private static final java.util.Set<Class<?>> SUPPORTED_TYPES = java.util.Set.of(PreprocessorVertex.class,
            ElementWiseVertex.class, MergeVertex.class, ScaleVertex.class, SubsetVertex.class, StackVertex.class,
            org.deeplearning4j.nn.conf.graph.rnn.LastTimeStepVertex.class,
            UnstackVertex.class, L2NormalizeVertex.class);

    /** Whether a non-layer vertex has a tangent rule. */
    public static boolean supports(GraphVertex v) {
        return SUPPORTED_TYPES.contains(v.getClass());
    }

    private static final LayerWorkspaceMgr WSM = LayerWorkspaceMgr.noWorkspaces();

    private VertexTangents() {
    }

    /** Applies a (linear) preprocessor to a tangent; null stays null. */
    public static INDArray preprocess(InputPreProcessor p, INDArray xDot, int batch) {
        return p == null || xDot == null ? xDot : p.clone().preProcess(xDot, batch, WSM);
    }

    /**
     * The output tangent of a non-layer vertex from its inputs' primal values and tangents.
     *
     * @param v        the vertex's configuration
     * @param inputs   primal inputs
     * @param tangents input tangents (entries may be null = 0)
     * @param output   the vertex's primal output (for shapes)
     */
    public static INDArray pushForward(GraphVertex v, INDArray[] inputs, INDArray[] tangents, INDArray output, int batch) {
        boolean any = false;
        for (INDArray t : tangents) {
            any |= t != null;
        }
        if (!any) {
            return null;
        }
        if (v instanceof PreprocessorVertex) {
            return preprocess(((PreprocessorVertex) v).getPreProcessor(), tangents[0], batch);
        }
        if (v instanceof ScaleVertex) {
            return tangents[0].mul(((ScaleVertex) v).getScaleFactor());
        }
        if (v instanceof MergeVertex) {
            return Nd4j.concat(((MergeVertex) v).getMergeAxis(), zerosForNull(inputs, tangents));   // 3 for NHWC

        }
        if (v instanceof ElementWiseVertex) {
            return elementWise((ElementWiseVertex) v, inputs, tangents, output);
        }
        if (v instanceof SubsetVertex) {
            INDArrayIndex[] idx = all(tangents[0].rank());
            idx[1] = NDArrayIndex.interval(((SubsetVertex) v).getFrom(), ((SubsetVertex) v).getTo() + 1);
            return tangents[0].get(idx).dup();
        }
        if (v instanceof StackVertex) {
            return Nd4j.concat(0, zerosForNull(inputs, tangents));
        }
        if (v instanceof UnstackVertex) {
            UnstackVertex u = (UnstackVertex) v;
            long step = tangents[0].size(0) / u.getStackSize();
            INDArrayIndex[] idx = all(tangents[0].rank());
            idx[0] = NDArrayIndex.interval(u.getFrom() * step, (u.getFrom() + 1) * step);
            return tangents[0].get(idx).dup();
        }
        if (v instanceof L2NormalizeVertex) {
            return l2Normalize((L2NormalizeVertex) v, inputs[0], tangents[0]);
        }
        if (v instanceof org.deeplearning4j.nn.conf.graph.rnn.LastTimeStepVertex) {
            // [N, C, T] → [N, C] at t = T − 1, linear; masked sequences never reach here (wrapped networks refuse masks)
            return tangents[0].get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(tangents[0].size(2) - 1))
                    .dup();
        }
        throw new UnsupportedLayerException("vertex " + v.getClass().getSimpleName() + " has no tangent rule");
    }

    private static INDArray elementWise(ElementWiseVertex v, INDArray[] x, INDArray[] t, INDArray output) {
        ElementWiseVertex.Op op = v.getOp();
        INDArray out = Nd4j.zeros(output.dataType(), output.shape());
        switch (op) {
            case Add:
            case Average:
                for (INDArray ti : t) {
                    if (ti != null) {
                        out.addi(ti);
                    }
                }
                return op == ElementWiseVertex.Op.Average ? out.divi(t.length) : out;
            case Subtract:
                if (t[0] != null) {
                    out.addi(t[0]);
                }
                if (t[1] != null) {
                    out.subi(t[1]);
                }
                return out;
            case Product:
                for (int j = 0; j < t.length; j++) {
                    if (t[j] == null) {
                        continue;
                    }
                    INDArray term = t[j].dup();
                    for (int k = 0; k < x.length; k++) {
                        if (k != j) {
                            term.muli(x[k]);
                        }
                    }
                    out.addi(term);
                }
                return out;
            case Max:
                INDArray max = x[0].dup();
                for (int j = 1; j < x.length; j++) {
                    max = Transforms.max(max, x[j], false);
                }
                INDArray taken = Nd4j.zeros(output.dataType(), output.shape());       // 1 where an earlier input won
                for (int j = 0; j < x.length; j++) {
                    INDArray wins = x[j].eq(max).castTo(output.dataType()).muli(taken.rsub(1.0));
                    if (t[j] != null) {
                        out.addi(wins.mul(t[j]));
                    }
                    taken.addi(wins);
                }
                return out;
            default:
                throw new UnsupportedLayerException("ElementWiseVertex op " + op + " has no tangent rule");
        }
    }

    /** ẏ = ẋ/n − x·⟨x, ẋ⟩/n³ per example, n = ‖x‖ over the vertex's dimensions (all but 0 by default), n ≥ ε. */
    private static INDArray l2Normalize(L2NormalizeVertex v, INDArray x, INDArray t) {
        int[] dims = v.getDimension() != null && v.getDimension().length > 0 ? v.getDimension()
                : java.util.stream.IntStream.range(1, x.rank()).toArray();
        INDArray n = x.norm2(true, dims);
        INDArray clipped = n.lt(v.getEps()).castTo(x.dataType());             // 1 where the norm is clipped to ε
        INDArray denom = Transforms.max(n, v.getEps(), true);
        INDArray inner = x.mul(t).sum(true, dims).muli(clipped.rsub(1.0)).divi(denom.mul(denom).muli(denom));
        return t.div(denom).subi(x.mul(inner));
    }

    private static INDArray[] zerosForNull(INDArray[] inputs, INDArray[] tangents) {
        INDArray[] parts = new INDArray[tangents.length];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = tangents[i] != null ? tangents[i] : Nd4j.zeros(inputs[i].dataType(), inputs[i].shape());
        }
        return parts;
    }

    private static INDArrayIndex[] all(int rank) {
        INDArrayIndex[] idx = new INDArrayIndex[rank];
        java.util.Arrays.fill(idx, NDArrayIndex.all());
        return idx;
    }
}
