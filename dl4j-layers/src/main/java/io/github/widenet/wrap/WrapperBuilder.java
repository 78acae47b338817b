package io.github.widenet.wrap;

import io.github.widenet.internal.wrap.DropoutPolicy;
import io.github.widenet.internal.wrap.GradientDescentOnly;
import io.github.widenet.internal.wrap.LogitsModel;
import io.github.widenet.internal.wrap.WrappedNetworks;
import io.github.widenet.layers.BatchNormMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.function.Function;

/**
 * What the lazy and linearized wrappers' builders share: the scale α (output × α, loss × 1/α²), the opt-in to training
 * that is not lazy (anything but plain or momentum gradient descent without regularization), and the wrapping of a
 * MultiLayerNetwork or ComputationGraph into [embedding layer, loss layer]. Subclasses make the embedding layer and may
 * check more.
 */
public abstract class WrapperBuilder<B extends WrapperBuilder<B>> {

    protected double alpha = 1.0;
    protected boolean allowNotLazyTraining;
    protected BatchNormMode batchNormMode = BatchNormMode.INFERENCE;
    protected boolean ignoreDropout;
    protected int collectEverySteps = EmbeddedNetworkLayer.DEFAULT_COLLECT_EVERY_STEPS;

    /**
     * Garbage collection every {@code steps} training steps (default
     * {@value EmbeddedNetworkLayer#DEFAULT_COLLECT_EVERY_STEPS}; 0 = never): the wrapped network's inner activations
     * and gradients are freed only when the JVM collects them (see {@link EmbeddedNetworkLayer}).
     */
    @SuppressWarnings("unchecked")
    public B collectGarbageEvery(int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("collectGarbageEvery: steps must be >= 0, got " + steps);
        }
        this.collectEverySteps = steps;
        return (B) this;
    }

    /** The scale α (> 0): output multiplied by α, loss divided by α². */
    @SuppressWarnings("unchecked")
    public B alpha(double alpha) {
        this.alpha = alpha;
        return (B) this;
    }

    /**
     * Accept adaptive updaters (Adam, RMSProp, …) and L1/L2/weight decay, which are refused by default because with them
     * the model does not follow lazy training's gradient descent (plain or momentum SGD: Sgd, Nesterovs, HeavyBall,
     * NoOp).
     */
    @SuppressWarnings("unchecked")
    public B allowNotLazyTraining(boolean allow) {
        this.allowNotLazyTraining = allow;
        return (B) this;
    }

    /**
     * What the network's BatchNormalization layers compute in every pass, for h(w) and h(w0) alike: running statistics
     * at w0 ({@link BatchNormMode#INFERENCE}, the default) or minibatch statistics ({@link BatchNormMode#TRAINING}).
     */
    @SuppressWarnings("unchecked")
    public B batchNormMode(BatchNormMode mode) {
        this.batchNormMode = java.util.Objects.requireNonNull(mode, "batchNormMode");
        return (B) this;
    }

    /**
     * Wrap the network as at inference for dropout: every dropout (layer or per-layer, any kind) is the identity in
     * every pass. Without this, active dropout is refused; {@code Dropout(1.0)} (no dropout) is always accepted.
     */
    @SuppressWarnings("unchecked")
    public B ignoreDropout(boolean ignore) {
        this.ignoreDropout = ignore;
        return (B) this;
    }

    public MultiLayerNetwork wrap(MultiLayerNetwork net) {
        LogitsModel logits = LogitsModel.of(net);
        LogitsModel h = prepare(logits, WrappedNetworks.describer(net));
        EmbeddedNetworkLayer layer = configured(h);
        java.util.Map<String, String> names = new java.util.HashMap<>();
        for (int i = 0; i < net.getLayerWiseConfigurations().getConfs().size(); i++) {
            String name = net.getLayerWiseConfigurations().getConf(i).getLayer().getLayerName();
            if (name != null && !name.equals("layer" + i) && !name.equals(String.valueOf(i))) {
                names.put(String.valueOf(i), name);
            }
        }
        layer.setLayerNames(names);
        return WrappedNetworks.assemble(net, h, layer);
    }

    public ComputationGraph wrap(ComputationGraph graph) {
        LogitsModel logits = LogitsModel.of(graph);
        LogitsModel h = prepare(logits, WrappedNetworks.describer(graph));
        return WrappedNetworks.assemble(graph, h, configured(h));
    }

    /** The logits network in this builder's BatchNormalization and dropout modes, checked. */
    private LogitsModel prepare(LogitsModel logits, Function<String, String> describe) {
        LogitsModel h = logits.withBatchNorm(batchNormMode, describe).withoutDropout(ignoreDropout);
        DropoutPolicy.requireNone(h.logits(), describe, builderName());
        check(h.logits(), describe);
        EmbeddedNetworkLayer.checkGradientNormalization(h.logits(), describe);
        return h;
    }

    /** Wrap-time checks, once per wrap; {@code describe} names a logits vertex in messages. */
    protected void check(ComputationGraphConfiguration logits, Function<String, String> describe) {
        if (!allowNotLazyTraining) {
            GradientDescentOnly.require(logits, describe, builderName());
        }
    }

    private EmbeddedNetworkLayer configured(LogitsModel h) {
        EmbeddedNetworkLayer l = layer(h.logits(), WrappedNetworks.nOut(h), h.perPosition());
        l.setCollectEverySteps(collectEverySteps);
        return l;
    }

    /**
     * The embedding layer holding [w | w0] for the logits network h ({@code logits}, with {@code nOut} outputs per
     * example or, when {@code perPosition}, per pixel or time step).
     */
    protected abstract EmbeddedNetworkLayer layer(ComputationGraphConfiguration logits, long nOut, boolean perPosition);

    /** How users call this builder, for messages (e.g. "LazyWrapper.builder()"). */
    protected abstract String builderName();
}
