package io.github.widenet.ntk;

import io.github.widenet.internal.wrap.ParamLayout;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * The parameters a kernel differentiates in: m_p = 1 for a trained parameter, 0 for a frozen one (e.g. biases kept at 0
 * with a zero learning rate), so that Θ(x, x') = Σ_p m_p ∂f(x)/∂w_p ∂f(x')/∂w_p is the tangent kernel of the parameters
 * that actually move. Keys are the flat-layout keys of the logits network, e.g. {@code "0_b"} for layer 0's bias.
 */
public final class ParameterMask {

    private ParameterMask() {
    }

    /** The 0/1 vector over the flat parameters of {@code logits}, zero on the parameters named in {@code excluded}. */
    public static INDArray excluding(ComputationGraphConfiguration logits, Collection<String> excluded, DataType type) {
        ParamLayout layout = ParamLayout.of(logits);
        INDArray mask = Nd4j.ones(type, layout.total());
        Set<String> missing = new HashSet<>(excluded);
        for (int i = 0; i < layout.keys().size(); i++) {
            if (missing.remove(layout.keys().get(i))) {
                mask.get(NDArrayIndex.interval(layout.offset(i), layout.offset(i) + layout.length(i))).assign(0);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("no parameters named " + missing + "; the network's keys are "
                    + layout.keys());
        }
        return mask;
    }
}
