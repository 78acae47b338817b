package io.github.widenet.lazy;

import io.github.widenet.internal.norm.BatchNormVariants;
import io.github.widenet.internal.wrap.WrappedNetworks;
import io.github.widenet.wrap.WrapperBuilder;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
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
 * Each trainable parameter keeps its layer's updater and minibatch averaging; SGD step sizes are not rescaled. Training
 * must be (momentum) gradient descent without regularization, as in the theory: adaptive updaters and L1/L2/weight decay
 * are refused unless {@code builder().allowNotLazyTraining(true)} (accepted: Sgd, Nesterovs,
 * {@link io.github.widenet.sgd.HeavyBall} and NoOp, with learning-rate schedules). Any layer DL4J can train may be wrapped; h(w0, x) is
 * cached per distinct example. BatchNormalization layers compute h(w) and h(w0) in the same
 * {@link io.github.widenet.layers.BatchNormMode} ({@code builder().batchNormMode(...)}; default INFERENCE, running
 * statistics at w0), so the output is exactly 0 at initialisation; in TRAINING mode (minibatch statistics) h(w0) depends
 * on the whole minibatch and is recomputed for each one (no cache). {@code Dropout(1.0)} (Keras import's no-op) is
 * dropped; active dropout is refused unless {@code builder().ignoreDropout(true)} wraps the network as at inference
 * (dropout the identity in every pass). Minibatches with a feature mask (variable-length sequences) are refused: the
 * embedded network runs unmasked. The layer's input gradient is not computed (null): it is the first layer of the
 * wrapped network.
 * Memory: the inner network's activations and gradients live outside DL4J's workspaces and their off-heap buffers are
 * freed when the JVM collects them, so the wrapped network runs a garbage collection every 25 training steps
 * ({@code builder().collectGarbageEvery(n)}; 0 = never) — without it a wrapped VGG can grow to several GB.
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
        return builder().alpha(alpha).wrap(net);
    }

    public static ComputationGraph wrap(ComputationGraph graph, double alpha) {
        return builder().alpha(alpha).wrap(graph);
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
        return builder().alpha(alpha).cacheSize(cacheSize).wrap(net);
    }

    public static ComputationGraph wrap(ComputationGraph graph, double alpha, int cacheSize) {
        return builder().alpha(alpha).cacheSize(cacheSize).wrap(graph);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options of the lazy model: α, the cache bound, and the opt-in to training that is not lazy. */
    public static final class Builder extends WrapperBuilder<Builder> {
        private int cacheSize = -1;

        /**
         * Maximum number of distinct examples whose h(w0, x) is cached (0: recompute; default: from the logits, 0 for
         * per-position logits of a CnnLossLayer or RnnLossLayer head).
         */
        public Builder cacheSize(int cacheSize) {
            if (cacheSize < 0) {
                throw new IllegalArgumentException("cacheSize must be >= 0, got " + cacheSize);
            }
            this.cacheSize = cacheSize;
            return this;
        }

        @Override
        protected LazyLayer layer(ComputationGraphConfiguration logits, long nOut, boolean perPosition) {
            boolean perExample = !BatchNormVariants.usesBatchStatistics(logits);
            // per-position logits (K per pixel or time step) are large per example: cached only when asked
            int defaultSize = perPosition ? 0 : defaultCacheSize(nOut);
            return new LazyLayer(logits, nOut, alpha, !perExample ? 0 : cacheSize < 0 ? defaultSize : cacheSize);
        }

        @Override
        protected String builderName() {
            return "LazyWrapper.builder()";
        }

        /** Also refuses LocalResponseNormalization, whose DL4J backprop is not its derivative (see LrnBackprop). */
        @Override
        protected void check(ComputationGraphConfiguration logits, java.util.function.Function<String, String> describe) {
            io.github.widenet.internal.tangent.LrnBackprop.refuseAny(logits, describe);
            super.check(logits, describe);
        }
    }

    /**
     * A model's last score without the wrappers' loss factor 1/α²: R(α(h(w) − h(w0))) for a lazy model, the same for a
     * linearized one, the score itself for a network that is not wrapped.
     */
    public static double unscaledScore(Model model) {
        return WrappedNetworks.unscaledScore(model);
    }

    /** The lazy layer (first layer) of a network made by this wrapper. */
    public static LazyLayerRuntime lazyLayer(Model wrapped) {
        return WrappedNetworks.embeddingLayer(wrapped, LazyLayerRuntime.class);
    }
}
