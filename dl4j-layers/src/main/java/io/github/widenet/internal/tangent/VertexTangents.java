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

import java.util.List;

/**
 * Tangents through the parameter-free parts of a graph: preprocessors (reshapes) map ẋ like x;
 * Add/Subtract/Average combine tangents alike; Product gives Σ_j ẋ_j ⊙ Π_{k≠j} x_k; Max takes ẋ_j of the first input
 * holding the maximum; MergeVertex concatenates along its merge axis; ScaleVertex scales; SubsetVertex, StackVertex and
 * UnstackVertex select or stack like their primal; L2NormalizeVertex y = x/n, n = ‖x‖ over its dimensions, gives
 * ẏ = ẋ/n − x·⟨x, ẋ⟩/n³ (ẋ/ε where n is clipped to ε). A null tangent means zero. Each rule is registered in
 * {@link #RULES} beside its push-forward; {@link #supports}, {@link #SUPPORTED} and {@link #pushForward} read it.
 */
public final class VertexTangents {

    /** A vertex's output tangent from its inputs' primal values x, their tangents t, its output and the batch size. */
    @FunctionalInterface
    private interface Push {
        INDArray apply(GraphVertex v, INDArray[] x, INDArray[] t, INDArray output, int batch);
    }

    /** One vertex type's rule: its name in messages, its (exact) configuration class, its push-forward. */
    private record Rule(String name, Class<? extends GraphVertex> type, Push push) {
    }

    private static final List<Rule> RULES = List.of(
            // a preprocessor (reshape) maps ẋ like x
            new Rule("preprocessors", PreprocessorVertex.class,
                    (v, x, t, out, batch) -> preprocess(((PreprocessorVertex) v).getPreProcessor(), t[0], batch)),
            new Rule("ElementWiseVertex (Add, Subtract, Product, Average, Max)", ElementWiseVertex.class,
                    (v, x, t, out, batch) -> elementWise((ElementWiseVertex) v, x, t, out)),
            // concatenation along the merge axis (3 for NHWC)
            new Rule("MergeVertex", MergeVertex.class,
                    (v, x, t, out, batch) -> Nd4j.concat(((MergeVertex) v).getMergeAxis(), zerosForNull(x, t))),
            new Rule("ScaleVertex", ScaleVertex.class,
                    (v, x, t, out, batch) -> t[0].mul(((ScaleVertex) v).getScaleFactor())),
            new Rule("SubsetVertex", SubsetVertex.class, (v, x, t, out, batch) -> {
                INDArrayIndex[] idx = all(t[0].rank());
                idx[1] = NDArrayIndex.interval(((SubsetVertex) v).getFrom(), ((SubsetVertex) v).getTo() + 1);
                return t[0].get(idx).dup();
            }),
            new Rule("StackVertex", StackVertex.class, (v, x, t, out, batch) -> Nd4j.concat(0, zerosForNull(x, t))),
            new Rule("UnstackVertex", UnstackVertex.class, (v, x, t, out, batch) -> {
                UnstackVertex u = (UnstackVertex) v;
                long step = t[0].size(0) / u.getStackSize();
                INDArrayIndex[] idx = all(t[0].rank());
                idx[0] = NDArrayIndex.interval(u.getFrom() * step, (u.getFrom() + 1) * step);
                return t[0].get(idx).dup();
            }),
            new Rule("L2NormalizeVertex", L2NormalizeVertex.class,
                    (v, x, t, out, batch) -> l2Normalize((L2NormalizeVertex) v, x[0], t[0])),
            // [N, C, T] → [N, C] at t = T − 1, linear; masked sequences never reach here (wrapped networks refuse masks)
            new Rule("LastTimeStepVertex (unmasked)", org.deeplearning4j.nn.conf.graph.rnn.LastTimeStepVertex.class,
                    (v, x, t, out, batch) -> t[0].get(NDArrayIndex.all(), NDArrayIndex.all(),
                            NDArrayIndex.point(t[0].size(2) - 1)).dup()));

    /** The vertex types with a tangent rule besides layers, as listed in error messages (from the rules). */
    public static final String SUPPORTED = "layers, " + RULES.stream().map(Rule::name)
            .collect(java.util.stream.Collectors.joining(", "));

    private static Rule rule(GraphVertex v) {
        for (Rule r : RULES) {
            if (r.type() == v.getClass()) {
                return r;
            }
        }
        return null;
    }

    /** Whether a non-layer vertex has a tangent rule. */
    public static boolean supports(GraphVertex v) {
        return rule(v) != null;
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
        Rule r = rule(v);
        if (r == null) {
            throw new UnsupportedLayerException("vertex " + v.getClass().getSimpleName() + " has no tangent rule");
        }
        return r.push().apply(v, inputs, tangents, output, batch);
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
