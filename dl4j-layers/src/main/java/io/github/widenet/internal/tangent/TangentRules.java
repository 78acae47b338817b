package io.github.widenet.internal.tangent;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The registry of tangent rules: each rule declares, beside its definition, the layer classes it handles and the settings
 * it checks ({@link TangentRuleRegistration}) — dense ({@link AffineTangent}), convolution ({@link ConvolutionTangent}),
 * pooling ({@link PoolingTangent}), activation ({@link ActivationLayerTangent}), inactive dropout
 * ({@link IdentityTangent}), the project's width-scaled block ({@link WidthScaledTangent}), batch normalization
 * ({@link BatchNormTangent}), global pooling ({@link GlobalPoolingTangent}), the other convolutions and the linear
 * reshaping layers ({@link MultilinearTangent}), frozen layers ({@link FrozenTangent}), recurrent layers
 * ({@link SimpleRnnTangent}, {@link LstmTangent}, {@link LastTimeStepTangent}, {@link BidirectionalTangent}),
 * embeddings ({@link EmbeddingTangent}), the per-time-step dense layer ({@link TimeDistributedTangent}, also a final
 * RnnOutputLayer's logits) —
 * plus the graph vertices and preprocessors handled by {@link VertexTangents}. The list of supported layers in error messages is
 * generated from these entries. {@link #check} validates a whole network once, when it is wrapped, so an unsupported
 * layer is reported then, not in the middle of training.
 */
public final class TangentRules {

    private static final List<TangentRuleRegistration> REGISTRY = List.of(AffineTangent.REGISTRATION,
            ConvolutionTangent.REGISTRATION, PoolingTangent.REGISTRATION, ActivationLayerTangent.REGISTRATION,
            IdentityTangent.REGISTRATION, WidthScaledTangent.REGISTRATION, BatchNormTangent.INFERENCE,
            BatchNormTangent.TRAINING, GlobalPoolingTangent.REGISTRATION, MultilinearTangent.REGISTRATION,
            FrozenTangent.REGISTRATION, SimpleRnnTangent.REGISTRATION, LstmTangent.REGISTRATION, LstmTangent.GRAVES,
            LastTimeStepTangent.REGISTRATION, BidirectionalTangent.REGISTRATION, EmbeddingTangent.REGISTRATION,
            TimeDistributedTangent.REGISTRATION);
    // LrnTangent.REGISTRATION joins once DL4J's LRN backprop is right (LrnBackprop)

    private TangentRules() {
    }

    /** The registered rules, in registry order (for {@link SupportTable}). */
    static List<TangentRuleRegistration> registry() {
        return REGISTRY;
    }

    /** The supported layers, as listed in error messages. */
    public static String supportedLayers() {
        return REGISTRY.stream().map(TangentRuleRegistration::name).collect(Collectors.joining(", "))
                + ", an OutputLayer, LossLayer or RnnOutputLayer at the end";
    }

    private static TangentRuleRegistration registration(Layer conf, String where) {
        for (TangentRuleRegistration r : REGISTRY) {
            if (r.handles(conf)) {
                return r;
            }
        }
        LrnBackprop.refuse(conf, where);
        throw new UnsupportedLayerException(where + " (" + conf.getClass().getSimpleName() + ") has no tangent rule; "
                + "supported: " + supportedLayers());
    }

    /** A fresh rule instance for a layer configuration (rules may keep per-layer helpers). */
    public static TangentRule forLayer(Layer conf, String where) {
        return registration(conf, where).rule().get();
    }

    /** Validates every vertex, layer, preprocessor, activation and setting of a logits network. */
    public static void check(ComputationGraphConfiguration conf) {
        check(conf, name -> "vertex '" + name + "'");
    }

    /**
     * As {@link #check(ComputationGraphConfiguration)}, naming vertices in messages by {@code describe} (e.g.
     * "layer 3 'conv2'" for a MultiLayerNetwork's layer, whose logits vertex is named "3"); the class is appended.
     */
    public static void check(ComputationGraphConfiguration conf, Function<String, String> describe) {
        for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
            String where = describe.apply(e.getKey());
            GraphVertex v = e.getValue();
            if (v instanceof LayerVertex) {
                LayerVertex lv = (LayerVertex) v;
                checkPreprocessor(lv.getPreProcessor(), where + " (" + lv.getLayerConf().getLayer().getClass()
                        .getSimpleName() + ")");
                checkLayer(lv.getLayerConf().getLayer(), where);
            } else if (v instanceof PreprocessorVertex) {
                where = where + " (PreprocessorVertex)";
                checkPreprocessor(((PreprocessorVertex) v).getPreProcessor(), where);
            } else if (!VertexTangents.supports(v)) {
                throw new UnsupportedLayerException(where + " (" + v.getClass().getSimpleName()
                        + ") has no tangent rule; supported vertices: " + VertexTangents.SUPPORTED);
            }
        }
    }

    /** Validates one layer's rule, settings, dropout, weight noise and activation; {@code where} names it (no class). */
    static void checkLayer(Layer layer, String where) {
        TangentRuleRegistration rule = registration(layer, where);
        where = where + " (" + layer.getClass().getSimpleName() + ")";
        rule.check().accept(layer, where);
        if (layer.getIDropout() != null) {
            throw new UnsupportedLayerException(where + " uses dropout " + layer.getIDropout()
                    + "; the linearized model is defined without dropout: remove it before wrapping");
        }
        if (layer instanceof BaseLayer) {
            BaseLayer b = (BaseLayer) layer;
            if (b.getWeightNoise() != null) {
                throw new UnsupportedLayerException(where + " uses weight noise; remove it before wrapping");
            }
            ActivationTangent.check(b.getActivationFn(), where);
        }
    }

    /**
     * The preprocessors that only reshape or permute (linear maps, applied to the tangent as to the primal): DL4J's
     * CNN/RNN/FF conversions and Keras import's reshape, permute and flatten (named, so model import is not a dependency).
     */
    private static final java.util.Set<String> RESHAPING_PREPROCESSORS = java.util.Set.of(
            "CnnToFeedForwardPreProcessor", "FeedForwardToCnnPreProcessor", "RnnToFeedForwardPreProcessor",
            "FeedForwardToRnnPreProcessor", "CnnToRnnPreProcessor", "RnnToCnnPreProcessor",
            "Cnn3DToFeedForwardPreProcessor", "FeedForwardToCnn3DPreProcessor", "ReshapePreprocessor",
            "PermutePreprocessor", "TensorFlowCnnToFeedForwardPreProcessor", "KerasFlattenRnnPreprocessor");

    static void checkPreprocessor(InputPreProcessor p, String where) {
        if (p != null && !RESHAPING_PREPROCESSORS.contains(p.getClass().getSimpleName())) {
            throw new UnsupportedLayerException(where + ": input preprocessor " + p.getClass().getSimpleName()
                    + " has no tangent rule (supported: the reshaping preprocessors "
                    + String.join(", ", new java.util.TreeSet<>(RESHAPING_PREPROCESSORS)) + ")");
        }
    }
}
