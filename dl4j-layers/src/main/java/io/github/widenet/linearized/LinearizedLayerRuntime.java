package io.github.widenet.linearized;

import io.github.widenet.wrap.EmbeddingRuntime;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The runtime of a {@link LinearizedLayer}: output α·(h(w0, x) + J·(w − w0)) (or α·J·(w − w0) when centred), with
 * J = ∂h/∂w at w0 applied as one tangent (JVP) pass; backward J(w0)ᵀ·ε·α into the gradient of w. Obtained with
 * {@link LinearizedWrapper#linearizedLayer}.
 */
public interface LinearizedLayerRuntime extends EmbeddingRuntime {

    /** This layer's configuration. */
    LinearizedLayer layerConf();

    /** J_w h(w0, x)·(w − w0) for the current w: the tangent part of the output, before α and without h(w0, x). */
    INDArray tangent(INDArray x);
}
