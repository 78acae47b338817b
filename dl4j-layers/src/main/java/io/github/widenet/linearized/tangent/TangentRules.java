package io.github.widenet.linearized.tangent;

import io.github.widenet.layers.NtkConvolutionLayer;
import io.github.widenet.layers.NtkDenseLayer;
import io.github.widenet.layers.WidthScaledLayer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Convolution2D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;

import java.util.Map;
import java.util.function.Function;

/**
 * The registry of tangent rules, one per kind of layer — dense ({@link AffineTangent}), convolution
 * ({@link ConvolutionTangent}), pooling ({@link PoolingTangent}), activation ({@link ActivationLayerTangent}), inactive
 * dropout ({@link IdentityTangent}), the project's width-scaled block ({@link WidthScaledTangent}) — plus the linear graph vertices and preprocessors handled by
 * {@link VertexTangents}. {@link #check} validates a whole network before it is linearized, so an unsupported layer is
 * reported when wrapping, not in the middle of training.
 */
public final class TangentRules {

    private TangentRules() {
    }

    /** A fresh rule instance for a layer configuration (rules may keep per-layer helpers). */
    public static TangentRule forLayer(Layer conf, String where) {
        if (conf.getClass() == DenseLayer.class || conf instanceof NtkDenseLayer) {
            return new AffineTangent();
        }
        if (conf.getClass() == ConvolutionLayer.class || conf.getClass() == Convolution2D.class
                || conf instanceof NtkConvolutionLayer) {
            return new ConvolutionTangent();
        }
        if (conf.getClass() == SubsamplingLayer.class) {
            return new PoolingTangent();
        }
        if (conf instanceof ActivationLayer) {
            return new ActivationLayerTangent();
        }
        if (conf.getClass() == DropoutLayer.class) {
            return new IdentityTangent();           // check() rejects it when its dropout is active
        }
        if (conf instanceof WidthScaledLayer) {
            return new WidthScaledTangent();
        }
        throw new UnsupportedLayerException(where + " (" + conf.getClass().getSimpleName() + ") has no tangent rule; "
                + "supported: DenseLayer, ConvolutionLayer/Convolution2D, SubsamplingLayer (MAX, AVG), ActivationLayer, "
                + "DropoutLayer without dropout, MeanFieldLayer/NtkLayer/WidthScaledLayer, NtkDenseLayer, "
                + "NtkConvolutionLayer, an OutputLayer or LossLayer at the end");
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
                Layer layer = lv.getLayerConf().getLayer();
                where = where + " (" + layer.getClass().getSimpleName() + ")";
                checkPreprocessor(lv.getPreProcessor(), where);
                forLayer(layer, where);
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
                if (layer instanceof ActivationLayer) {
                    ActivationTangent.check(((ActivationLayer) layer).getActivationFn(), where);
                }
                if (layer instanceof DenseLayer && ((DenseLayer) layer).hasLayerNorm()) {
                    throw new UnsupportedLayerException(where + " uses layer normalization, which has no tangent rule");
                }
                if (layer instanceof SubsamplingLayer) {
                    PoolingTangent.check((SubsamplingLayer) layer, where);
                }
                if (layer instanceof ConvolutionLayer
                        && ((ConvolutionLayer) layer).getConvolutionMode()
                        == org.deeplearning4j.nn.conf.ConvolutionMode.Causal) {
                    throw new UnsupportedLayerException(where + ": causal convolution has no tangent rule");
                }
            } else if (v instanceof PreprocessorVertex) {
                where = where + " (PreprocessorVertex)";
                checkPreprocessor(((PreprocessorVertex) v).getPreProcessor(), where);
            } else if (v instanceof ElementWiseVertex) {
                ElementWiseVertex.Op op = ((ElementWiseVertex) v).getOp();
                if (op == ElementWiseVertex.Op.Max) {
                    throw new UnsupportedLayerException(where + ": ElementWiseVertex Max has no tangent rule");
                }
            } else if (!(v instanceof MergeVertex) && !(v instanceof ScaleVertex)) {
                throw new UnsupportedLayerException(where + " (" + v.getClass().getSimpleName()
                        + ") has no tangent rule; supported vertices: layers, preprocessors, ElementWiseVertex "
                        + "(Add, Subtract, Product, Average), MergeVertex, ScaleVertex");
            }
        }
    }

    static void checkPreprocessor(InputPreProcessor p, String where) {
        if (p != null && !(p instanceof CnnToFeedForwardPreProcessor) && !(p instanceof FeedForwardToCnnPreProcessor)) {
            throw new UnsupportedLayerException(where + ": input preprocessor " + p.getClass().getSimpleName()
                    + " has no tangent rule (supported: CnnToFeedForwardPreProcessor, FeedForwardToCnnPreProcessor)");
        }
    }
}
