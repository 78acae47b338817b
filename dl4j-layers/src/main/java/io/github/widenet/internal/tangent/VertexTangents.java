package io.github.widenet.internal.tangent;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Tangents through the parameter-free parts of a graph, all linear or bilinear: preprocessors (reshapes) map ẋ like x;
 * Add/Subtract/Average combine tangents alike; Product gives Σ_j ẋ_j ⊙ Π_{k≠j} x_k; MergeVertex concatenates along its merge axis; ScaleVertex
 * scales. A null tangent means zero.
 */
public final class VertexTangents {

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
            INDArray[] parts = new INDArray[tangents.length];
            for (int i = 0; i < parts.length; i++) {
                parts[i] = tangents[i] != null ? tangents[i] : Nd4j.zeros(inputs[i].dataType(), inputs[i].shape());
            }
            return Nd4j.concat(((MergeVertex) v).getMergeAxis(), parts);      // 3 for NHWC, 2 for NWC

        }
        if (v instanceof ElementWiseVertex) {
            return elementWise((ElementWiseVertex) v, inputs, tangents, output);
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
            default:
                throw new UnsupportedLayerException("ElementWiseVertex op " + op + " has no tangent rule");
        }
    }
}
