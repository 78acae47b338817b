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
 * Each trainable parameter keeps its layer's updater; SGD step sizes are not rescaled.
 */
public final class LazyWrapper {

    /** Default bound of the cache of initial outputs h(w0, x). */
    public static final int DEFAULT_CACHE_SIZE = 1_000_000;

    private LazyWrapper() {
    }

    public static MultiLayerNetwork wrap(MultiLayerNetwork net, double alpha) {
        return wrap(net, alpha, DEFAULT_CACHE_SIZE);
    }

    public static ComputationGraph wrap(ComputationGraph graph, double alpha) {
        return wrap(graph, alpha, DEFAULT_CACHE_SIZE);
    }

    /** @param cacheSize maximum number of distinct examples whose h(w0, x) is cached (0: recompute every time) */
    public static MultiLayerNetwork wrap(MultiLayerNetwork net, double alpha, int cacheSize) {
        LogitsModel h = LogitsModel.of(net);
        return WrappedNetworks.assemble(net, h, layer(h, alpha, cacheSize), 1.0 / (alpha * alpha));
    }

    public static ComputationGraph wrap(ComputationGraph graph, double alpha, int cacheSize) {
        LogitsModel h = LogitsModel.of(graph);
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
