package io.github.widenet.linearized;

import io.github.widenet.internal.tangent.TangentRules;
import io.github.widenet.wrap.WrapperBuilder;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import io.github.widenet.internal.wrap.WrappedNetworks;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.function.Function;

/**
 * The linearized model of a DL4J network at its current parameters w0 (the neural-tangent / lazy limit): a trainable
 * network computing h̄(w, x) = h(w0, x) + J_w h(w0, x)·(w − w0), where h is the network up to its loss's activation, with
 * the original loss applied to h̄ — like neural-tangents' {@code linearize(f, params)}, as an ordinary DL4J network.
 * <pre>{@code
 * MultiLayerNetwork lin = LinearizedWrapper.wrap(net);
 * lin.fit(trainIterator);                      // trains w; w0 stays frozen inside the model
 * Evaluation eval = lin.evaluate(testIterator);
 * // the centred, α-scaled version α·J(w − w0) with loss/α², to compare with LazyWrapper.wrap(net, α):
 * MultiLayerNetwork linα = LinearizedWrapper.builder().centred(true).alpha(100).wrap(net);
 * }</pre>
 * Supported: DenseLayer, 2-D convolutions of every kind (ConvolutionLayer in any ConvolutionMode but Causal,
 * Deconvolution2D, DepthwiseConvolution2D, SeparableConvolution2D, Convolution1DLayer), SubsamplingLayer (MAX —
 * overlapping windows included — and AVG), GlobalPoolingLayer (AVG, SUM, MAX, PNORM), zero padding, cropping,
 * upsampling, space-to-depth, ActivationLayer, BatchNormalization in either {@link io.github.widenet.layers.BatchNormMode}
 * ({@code builder().batchNormMode(...)}, default INFERENCE), FrozenLayer/FrozenLayerWithBackprop (frozen parameters are
 * constants), DropoutLayer and {@code Dropout(1.0)} (no dropout; active dropout with {@code ignoreDropout(true)}), the
 * activations identity, relu, leaky relu, tanh, sigmoid, softplus, elu and softmax, the project's width-scaled
 * (mean-field / NTK) and NTK dense/convolution layers, CNN↔FF preprocessors, and the graph vertices Add, Subtract,
 * Average, Product, Max, Merge, Scale, Subset, Stack, Unstack, L2Normalize and preprocessors; anything else (recurrent
 * layers, weight noise, …) is rejected here, naming the layer's index, name and class.
 * The list generated from the tangent rules' registry: {@link #supportedLayers()}.
 * <p>Training must be (momentum) gradient descent without regularization, as in the lazy-training theory: adaptive
 * updaters and L1/L2/weight decay are refused unless {@code builder().allowNotLazyTraining(true)} (accepted: Sgd,
 * Nesterovs, {@link io.github.widenet.sgd.HeavyBall} and NoOp, with learning-rate schedules).
 * <p>The input gradient of the linearized layer is not computed (null): it must be the first layer of the wrapped network,
 * as this wrapper builds it. Minibatches with a feature mask (variable-length sequences) are refused.
 * <p>Memory: the inner networks' activations, tangents and gradients live outside DL4J's workspaces and their off-heap
 * buffers are freed when the JVM collects them, so the wrapped network runs a garbage collection every 25 training
 * steps ({@code builder().collectGarbageEvery(n)}; 0 = never) — without it a linearized VGG can grow to several GB.
 */
public final class LinearizedWrapper {

    private LinearizedWrapper() {
    }

    /** h(w0, x) + J(w − w0) with the original loss. */
    public static MultiLayerNetwork wrap(MultiLayerNetwork net) {
        return builder().wrap(net);
    }

    public static ComputationGraph wrap(ComputationGraph graph) {
        return builder().wrap(graph);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options of the linearized model: centring, α, and the opt-in to training that is not lazy. */
    public static final class Builder extends WrapperBuilder<Builder> {
        private boolean centred;

        /** Drop h(w0, x): output J(w − w0) (as the linearization of the centred model α(h(w) − h(w0))). */
        public Builder centred(boolean centred) {
            this.centred = centred;
            return this;
        }

        /** The tangent rules' checks (every layer and setting supported), then the training rule. */
        @Override
        protected void check(ComputationGraphConfiguration logits, Function<String, String> describe) {
            TangentRules.check(logits, describe);
            super.check(logits, describe);
        }

        @Override
        protected LinearizedLayer layer(ComputationGraphConfiguration logits, long nOut, boolean perPosition) {
            return new LinearizedLayer(logits, nOut, centred, alpha);
        }

        @Override
        protected String builderName() {
            return "LinearizedWrapper.builder()";
        }
    }

    /** The linearized layer (first layer) of a network made by this wrapper. */
    public static LinearizedLayerRuntime linearizedLayer(Model wrapped) {
        return WrappedNetworks.embeddingLayer(wrapped, LinearizedLayerRuntime.class);
    }

    /**
     * The layers, vertices and activations the linearized model supports, generated from the tangent rules' registry
     * (the list error messages quote).
     */
    public static String supportedLayers() {
        return io.github.widenet.internal.tangent.TangentRules.supportedLayers();
    }
}
