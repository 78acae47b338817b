package io.github.widenet.internal.wrap;

import io.github.widenet.loss.ScaledLoss;
import io.github.widenet.wrap.EmbeddedNetworkLayer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.L2NormalizeVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.ILossFunction;

import java.util.List;

/**
 * Assembles a wrapped network: [embedding layer (w, w0), LossLayer(original output activation, loss × factor)] (the loss
 * layer has no parameters; its NoOp updater only keeps gradient checks happy), as a
 * MultiLayerNetwork for a MultiLayerNetwork and as a ComputationGraph ("in" → {@value #LAYER} → {@value #LOSS}) for a
 * ComputationGraph, with w = w0 = the original network's parameters and the original iteration/epoch counters.
 */
public final class WrappedNetworks {

    /** Name of the embedding layer in wrapped ComputationGraphs. */
    public static final String LAYER = "wrapped";
    /** Name of the loss layer in wrapped ComputationGraphs. */
    public static final String LOSS = "loss";

    private WrappedNetworks() {
    }

    public static MultiLayerNetwork assemble(MultiLayerNetwork original, LogitsModel h, EmbeddedNetworkLayer layer) {
        var orig = original.getLayerWiseConfigurations();
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(orig.getDataType())
                .seed(orig.getConf(0).getSeed()).updater(new NoOp()).list()
                .layer(layer)
                .layer(lossLayer(h, layer.lossFactor()))
                .build();
        conf.setIterationCount(orig.getIterationCount());
        conf.setEpochCount(orig.getEpochCount());
        MultiLayerNetwork out = new MultiLayerNetwork(conf);
        out.init();
        setWeights(out.getLayer(0), h.params());
        return out;
    }

    public static ComputationGraph assemble(ComputationGraph original, LogitsModel h, EmbeddedNetworkLayer layer) {
        var orig = original.getConfiguration();
        layer.setLayerName(LAYER);
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(orig.getDataType())
                .seed(orig.getDefaultConfiguration().getSeed()).updater(new NoOp()).graphBuilder()
                .addInputs(h.inputName())
                .addLayer(LAYER, layer, h.inputName())
                .addLayer(LOSS, lossLayer(h, layer.lossFactor()), LAYER)
                .setOutputs(LOSS)
                .build();
        conf.setIterationCount(orig.getIterationCount());
        conf.setEpochCount(orig.getEpochCount());
        ComputationGraph out = new ComputationGraph(conf);
        out.init();
        setWeights(out.getLayer(LAYER), h.params());
        return out;
    }

    /** Where a wrapped network keeps its embedding layer: layer 0 of a MultiLayerNetwork, "wrapped" of a graph. */
    private static Layer wrapperLayer(Model model) {
        if (model instanceof MultiLayerNetwork) {
            return ((MultiLayerNetwork) model).getLayer(0);
        }
        return model instanceof ComputationGraph && ((ComputationGraph) model).getConfiguration().getVertices()
                .containsKey(LAYER) ? ((ComputationGraph) model).getLayer(LAYER) : null;
    }

    /** The embedding layer of a wrapped network (its first layer), checked to be of the expected type. */
    public static <T extends Layer> T embeddingLayer(Model wrapped, Class<T> type) {
        Layer l = wrapperLayer(wrapped);
        if (!type.isInstance(l)) {
            throw new IllegalArgumentException("not a network made by the " + type.getSimpleName().replace("Runtime", "")
                    + " wrapper: its first layer is " + (l == null ? "missing" : l.getClass().getSimpleName()));
        }
        return type.cast(l);
    }

    /**
     * Names a logits vertex in messages: "layer 3 'conv2'" for the MultiLayerNetwork layer behind vertex "3" (DL4J's
     * default names omitted).
     */
    public static java.util.function.Function<String, String> describer(MultiLayerNetwork net) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        return vertex -> {
            int i = Integer.parseInt(vertex);
            String name = conf.getConf(i).getLayer().getLayerName();
            return "layer " + i + (name == null || name.equals("layer" + i) ? "" : " '" + name + "'");
        };
    }

    /**
     * Refuses per-position logits (CnnLossLayer, RnnLossLayer, RnnOutputLayer heads) for {@code what} (e.g. "the empirical NTK"), which
     * is defined here for [batch, K] logits.
     */
    public static void requireExampleLogits(LogitsModel h, String what) {
        if (h.perPosition()) {
            throw new IllegalArgumentException("the final " + h.head().getClass().getSimpleName() + " is a per-position "
                    + "loss (logits of rank " + (h.head() instanceof org.deeplearning4j.nn.conf.layers.CnnLossLayer
                    ? "4, per pixel" : "3, per time step") + "): " + what + " is computed for [batch, K] logits only; "
                    + "end the network with " + (h.head() instanceof org.deeplearning4j.nn.conf.layers.CnnLossLayer
                    ? "GlobalPoolingLayer + OutputLayer" : "LastTimeStep + OutputLayer") + " for one prediction per "
                    + "example, or use LazyWrapper / LinearizedWrapper, which support this head");
        }
    }

    /** Names a graph vertex in messages: "vertex 'conv2'". */
    public static java.util.function.Function<String, String> describer(ComputationGraph graph) {
        return vertex -> "vertex '" + vertex + "'";
    }

    /**
     * The model's last score without the wrappers' 1/α²: R(α(h(w) − h(w0))) for a lazy model, the plain score for a
     * network that is not wrapped (regularization terms, present only with allowNotLazyTraining, are left as they are).
     */
    public static double unscaledScore(Model model) {
        Layer first = wrapperLayer(model);
        if (!(first instanceof EmbeddedNetworkRuntime)) {
            return model.score();
        }
        double factor = ((EmbeddedNetworkLayer) first.conf().getLayer()).lossFactor();
        double regularization = model instanceof MultiLayerNetwork
                ? ((MultiLayerNetwork) model).calcRegularizationScore(true)
                : ((ComputationGraph) model).calcRegularizationScore(true);
        return (model.score() - regularization) / factor + regularization;
    }

    /**
     * Number of logits of h: nOut of its output layer, or of the nearest layer before it through vertices that keep the
     * number of channels (activation, dropout, global pooling, element-wise, scale and L2-normalize vertices), as in heads
     * ending conv → global pooling → activation; for per-position logits (CnnLossLayer, RnnLossLayer) the number of
     * channels K, through the head's preprocessor; for a TimeDistributed layer (an RnnOutputLayer's logits), its inner
     * layer's nOut.
     */
    public static long nOut(LogitsModel h) {
        String out = h.logits().getNetworkOutputs().get(0);
        String v = out;
        while (true) {
            GraphVertex vertex = h.logits().getVertices().get(v);
            org.deeplearning4j.nn.conf.layers.Layer layer = vertex instanceof LayerVertex
                    ? ((LayerVertex) vertex).getLayerConf().getLayer() : null;
            if (layer instanceof org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed) {
                layer = ((org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed) layer).getUnderlying();
            }
            if (layer instanceof FeedForwardLayer && ((FeedForwardLayer) layer).getNOut() > 0) {
                return ((FeedForwardLayer) layer).getNOut();
            }
            boolean keepsChannels = layer instanceof ActivationLayer || layer instanceof DropoutLayer
                    || layer instanceof GlobalPoolingLayer || vertex instanceof ElementWiseVertex
                    || vertex instanceof ScaleVertex || vertex instanceof L2NormalizeVertex
                    || vertex instanceof org.deeplearning4j.nn.conf.graph.PreprocessorVertex && h.perPosition();
            List<String> inputs = h.logits().getVertexInputs().get(v);
            if (!keepsChannels || inputs == null || inputs.isEmpty()) {
                throw new IllegalArgumentException("cannot tell the number of logits of output vertex '" + out + "'");
            }
            v = inputs.get(0);
        }
    }

    private static org.deeplearning4j.nn.conf.layers.Layer lossLayer(LogitsModel h, double factor) {
        return h.lossLayer(factor == 1.0 ? h.loss() : new ScaledLoss(h.loss(), factor));
    }

    /** Sets w = w0 = {@code weights}. */
    public static void setWeights(Layer layer, INDArray weights) {
        INDArray w = weights.reshape(weights.length()).castTo(layer.params().dataType());
        layer.setParams(Nd4j.concat(0, w, w));
    }

    /** Why a wrapped network's layer 0 cannot be frozen, and what to do instead. */
    public static String frozenMessage(EmbeddedNetworkLayer layer) {
        return "layer 0 of a wrapped network is the whole model (the " + layer.getClass().getSimpleName() + " holding "
                + "w and w0 of every layer): freezing it (FrozenLayer, TransferLearning setFeatureExtractor) would freeze "
                + "every parameter; freeze layers of the original network before wrapping (TransferLearning on the "
                + "original network, then wrap it)";
    }
}
