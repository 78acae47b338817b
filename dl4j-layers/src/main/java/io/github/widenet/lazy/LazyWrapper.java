package io.github.widenet.lazy;

import io.github.widenet.wrap.LogitsModel;
import io.github.widenet.wrap.WrappedNetworks;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Makes any DL4J classifier or regressor lazy (Chizat–Oyallon–Bach 2019): the returned network computes
 * α·(h(w, x) − h(w0, x)), where h is the original network up to its loss's activation (the logits) and w0 its parameters
 * at the time of wrapping, and it trains on the original loss divided by α², e.g. CE(α·(h(w) − h(w0)), y)/α².
 * As α → ∞ the training trajectory approaches that of the linearized model (see
 * {@link io.github.widenet.linearized.LinearizedWrapper}). α = 1 is the centred, otherwise ordinary, network.
 * <pre>{@code
 * MultiLayerNetwork lazy = LazyWrapper.wrap(net, 100);   // [LazyLayer, LossLayer(softmax, MCXENT/α²)]
 * lazy.fit(trainIterator);
 * Evaluation eval = lazy.evaluate(testIterator);
 * }</pre>
 * The result is an ordinary network of the same kind (MultiLayerNetwork in, MultiLayerNetwork out; likewise for a
 * single-input, single-output ComputationGraph); its first layer holds both w and w0 and is saved with the model.
 * Each trainable parameter keeps its layer's updater, regularization and minibatch averaging; SGD step sizes are not
 * rescaled. Any layer DL4J can train may be wrapped; h(w0, x) is evaluated in inference mode (so with dropout or batch
 * normalization the training-mode output at initialisation is not exactly zero) and cached per distinct example. The
 * layer's input gradient is not computed (null): it is the first layer of the wrapped network.
 */
public final class LazyWrapper {

    /** Largest default bound of the cache of initial outputs h(w0, x), in examples. */
    public static final int DEFAULT_CACHE_SIZE = 1_000_000;
    /** Heap the default cache may fill: 256 MiB. */
    public static final long DEFAULT_CACHE_BYTES = 256L << 20;

    private LazyWrapper() {
    }

    /** The lazy model with the default cache (see {@link #defaultCacheSize}). */
    public static MultiLayerNetwork wrap(MultiLayerNetwork net, double alpha) {
        LogitsModel h = LogitsModel.of(net);
        return wrap(net, h, alpha, defaultCacheSize(WrappedNetworks.nOut(h)));
    }

    public static ComputationGraph wrap(ComputationGraph graph, double alpha) {
        LogitsModel h = LogitsModel.of(graph);
        return wrap(graph, h, alpha, defaultCacheSize(WrappedNetworks.nOut(h)));
    }

    /**
     * Default number of cached h(w0, x): as many as fit in {@link #DEFAULT_CACHE_BYTES} at about 8·nOut + 128 bytes
     * each, at most {@link #DEFAULT_CACHE_SIZE} (e.g. 1,000,000 examples for 10 logits, 32,000 for 1,000).
     */
    public static int defaultCacheSize(long nOut) {
        return (int) Math.min(DEFAULT_CACHE_SIZE, DEFAULT_CACHE_BYTES / (8 * Math.max(1, nOut) + 128));
    }

    /** @param cacheSize maximum number of distinct examples whose h(w0, x) is cached (0: recompute every time) */
    public static MultiLayerNetwork wrap(MultiLayerNetwork net, double alpha, int cacheSize) {
        return wrap(net, LogitsModel.of(net), alpha, cacheSize);
    }

    public static ComputationGraph wrap(ComputationGraph graph, double alpha, int cacheSize) {
        return wrap(graph, LogitsModel.of(graph), alpha, cacheSize);
    }

    private static MultiLayerNetwork wrap(MultiLayerNetwork net, LogitsModel h, double alpha, int cacheSize) {
        return WrappedNetworks.assemble(net, h, layer(h, alpha, cacheSize), 1.0 / (alpha * alpha));
    }

    private static ComputationGraph wrap(ComputationGraph graph, LogitsModel h, double alpha, int cacheSize) {
        return WrappedNetworks.assemble(graph, h, layer(h, alpha, cacheSize), 1.0 / (alpha * alpha));
    }

    private static LazyLayer layer(LogitsModel h, double alpha, int cacheSize) {
        return new LazyLayer(h.logits(), WrappedNetworks.nOut(h), alpha, cacheSize);
    }

    /** The lazy layer (first layer) of a network made by this wrapper. */
    public static LazyLayerRuntime lazyLayer(Model wrapped) {
        return WrappedNetworks.embeddingLayer(wrapped, LazyLayerRuntime.class);
    }
}
