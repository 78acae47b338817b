package io.github.widenet.linearized;

import io.github.widenet.layers.params.LayerWiring;
import io.github.widenet.linearized.tangent.TangentRules;
import io.github.widenet.wrap.EmbeddedNetworkLayer;
import io.github.widenet.wrap.EmbeddedNetworkParamInitializer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;
import java.util.Objects;

/**
 * Configuration of the linearized model of a network h at its initial parameters w0:
 * h̄(w, x) = h(w0, x) + J_w h(w0, x)·(w − w0), or, when centred, J_w h(w0, x)·(w − w0); the output is multiplied by α.
 * w is trainable and w0 frozen, both stored in this layer (see {@link EmbeddedNetworkLayer}). The Jacobian-vector product
 * is computed exactly by explicit tangent propagation (see {@link io.github.widenet.linearized.tangent.TangentRules}), and
 * the gradient ∂h̄/∂w = J_w h(w0, x) is DL4J's own backprop through the network at w0.
 */
public class LinearizedLayer extends EmbeddedNetworkLayer {

    private boolean centred;
    private double alpha = 1.0;

    /** For JSON deserialisation only. */
    public LinearizedLayer() {
    }

    public LinearizedLayer(ComputationGraphConfiguration logits, long nOut, boolean centred, double alpha) {
        super(logits, nOut, "linearized");
        checkGradientNormalization(logits);
        TangentRules.check(logits);
        this.centred = centred;
        setAlpha(alpha);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> listeners, int layerIndex,
                                                       INDArray paramsView, boolean initializeParams,
                                                       DataType networkDataType) {
        return LayerWiring.wire(new LinearizedLayerRuntime(conf, networkDataType), conf, listeners, layerIndex, paramsView, initializeParams);
    }

    @Override
    public ParamInitializer initializer() {
        return EmbeddedNetworkParamInitializer.getInstance();
    }

    /** True: output J(w − w0) without h(w0, x). */
    public boolean isCentred() {
        return centred;
    }

    public void setCentred(boolean centred) {
        this.centred = centred;
    }

    /** The output scale α (1 by default). */
    public double getAlpha() {
        return alpha;
    }

    public void setAlpha(double alpha) {
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("alpha must be finite and > 0, got " + alpha);
        }
        this.alpha = alpha;
    }

    @Override
    public LinearizedLayer clone() {
        return (LinearizedLayer) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && ((LinearizedLayer) o).centred == centred
                && Double.compare(((LinearizedLayer) o).alpha, alpha) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), centred, alpha);
    }
}
