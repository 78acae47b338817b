package io.github.widenet.linearized;

import io.github.widenet.wrap.EmbeddedNetworkLayer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.Objects;

/**
 * Configuration of the linearized model of a network h at its initial parameters w0:
 * h̄(w, x) = h(w0, x) + J_w h(w0, x)·(w − w0), or, when centred, J_w h(w0, x)·(w − w0); the output is multiplied by α.
 * w is trainable and w0 frozen, both stored in this layer (see {@link EmbeddedNetworkLayer}). The Jacobian-vector product
 * is computed exactly by explicit tangent propagation (one rule per supported layer, see
 * {@link LinearizedWrapper#supportedLayers()}), and
 * the gradient ∂h̄/∂w = J_w h(w0, x) is DL4J's own backprop through the network at w0.
 */
public class LinearizedLayer extends EmbeddedNetworkLayer {

    private boolean centred;

    /** For JSON deserialisation only. */
    public LinearizedLayer() {
    }

    public LinearizedLayer(ComputationGraphConfiguration logits, long nOut, boolean centred, double alpha) {
        super(logits, nOut, "linearized");
        checkGradientNormalization(logits);    // the tangent rules are checked once, by LinearizedWrapper
        this.centred = centred;
        setAlpha(alpha);
    }

    @Override
    protected org.deeplearning4j.nn.api.Layer newRuntime(NeuralNetConfiguration conf, DataType dataType) {
        return new LinearizedRuntime(conf, dataType);
    }

    /** True: output J(w − w0) without h(w0, x). */
    public boolean isCentred() {
        return centred;
    }

    public void setCentred(boolean centred) {
        this.centred = centred;
    }


    @Override
    public LinearizedLayer clone() {
        return (LinearizedLayer) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && ((LinearizedLayer) o).centred == centred;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), centred);
    }
}
