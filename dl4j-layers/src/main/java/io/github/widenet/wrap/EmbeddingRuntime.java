package io.github.widenet.wrap;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The runtime of a layer that embeds a whole network h with two copies of its parameters, the trainable w and the
 * frozen initial w0, laid out as [w | w0] (see {@link EmbeddedNetworkLayer}); otherwise an ordinary DL4J layer.
 * <pre>{@code
 * EmbeddingRuntime l = LazyWrapper.lazyLayer(wrapped);
 * double moved = l.trainable().distance2(l.initial()) / l.initial().norm2Number().doubleValue();   // ‖w − w0‖/‖w0‖
 * }</pre>
 */
public interface EmbeddingRuntime extends org.deeplearning4j.nn.api.Layer {

    /** The trainable half w (a flat view in h's parameter order). */
    INDArray trainable();

    /** The frozen half w0 (a flat view in h's parameter order). */
    INDArray initial();
}
