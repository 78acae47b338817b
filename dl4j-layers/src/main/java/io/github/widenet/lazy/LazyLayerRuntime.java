package io.github.widenet.lazy;

import io.github.widenet.wrap.EmbeddingRuntime;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The runtime of a {@link LazyLayer}: forward α·(h(w, x) − h(w0, x)), with h(w0, x) cached per distinct example;
 * backward ∂L/∂w = α·J_w h(w, x)ᵀ ∂L/∂out through the trainable copy. Obtained with {@link LazyWrapper#lazyLayer}.
 */
public interface LazyLayerRuntime extends EmbeddingRuntime {

    /** This layer's configuration. */
    LazyLayer layerConf();

    /** h(w0, x), from the cache when possible. */
    INDArray initialOutput(INDArray x);

    /**
     * Empties the cache of h(w0, x). Needed only if w0 was changed in place through a parameter view; replacing
     * parameters through setParams/setParam clears it automatically.
     */
    void clearCache();

    /** Cache hits and misses so far, e.g. for benchmarks: {hits, misses}. */
    long[] cacheStatistics();
}
