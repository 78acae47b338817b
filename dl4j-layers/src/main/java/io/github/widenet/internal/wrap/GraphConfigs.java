package io.github.widenet.internal.wrap;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;

import java.util.Map;

/**
 * Copies of graph configurations that keep what DL4J 1.0.0-M2.1's {@code clone()} drops: {@code MergeVertex.clone()}
 * returns a new vertex with the default merge axis 1, so a clone of a channels-last (NHWC) graph concatenates along the
 * wrong axis and fails. Every copy the wrappers make goes through here.
 */
public final class GraphConfigs {

    private GraphConfigs() {
    }

    /** {@code conf.clone()} with every MergeVertex's merge axis restored. */
    public static ComputationGraphConfiguration copy(ComputationGraphConfiguration conf) {
        ComputationGraphConfiguration c = conf.clone();
        for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
            if (e.getValue() instanceof MergeVertex) {
                ((MergeVertex) c.getVertices().get(e.getKey())).setMergeAxis(((MergeVertex) e.getValue()).getMergeAxis());
            }
        }
        return c;
    }

    /** {@code v.clone()}, keeping a MergeVertex's merge axis. */
    public static GraphVertex copy(GraphVertex v) {
        GraphVertex c = v.clone();
        if (v instanceof MergeVertex) {
            ((MergeVertex) c).setMergeAxis(((MergeVertex) v).getMergeAxis());
        }
        return c;
    }
}
