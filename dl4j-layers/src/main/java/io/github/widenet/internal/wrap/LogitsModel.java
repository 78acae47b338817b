package io.github.widenet.internal.wrap;

import io.github.widenet.wrap.EmbeddedNetworkLayer;
import io.github.widenet.internal.norm.BatchNormVariants;
import io.github.widenet.layers.BatchNormMode;
import io.github.widenet.layers.WidthScaledLayer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A classifier or regressor split into its logits network h (everything up to the loss's own activation) and its loss:
 * the final {@code OutputLayer} becomes a {@code DenseLayer} with identity activation and the same parameters, or a final
 * {@code LossLayer} is dropped. The logits network is always a {@link ComputationGraph} configuration (a MultiLayerNetwork
 * becomes the chain "in" → "0" → "1" → …, whose parameter layout and keys equal the network's), so both wrappers drive one
 * kind of graph.
 *
 * @param logits           configuration of h
 * @param outputActivation the loss's activation (e.g. softmax), applied after h
 * @param loss             the loss function
 * @param params           the network's current parameters in h's flat layout (a copy)
 * @param inputName        name of h's single input
 * @param head             the original final layer (its kind and data format give the wrapped network's loss layer)
 */
public record LogitsModel(ComputationGraphConfiguration logits, IActivation outputActivation, ILossFunction loss,
                          INDArray params, String inputName, Layer head) {

    /** Whether the logits are per position (CnnLossLayer, RnnLossLayer, RnnOutputLayer): rank 4 or 3, not [batch, K]. */
    public boolean perPosition() {
        return OutputHead.perPosition(head);
    }

    /** The wrapped network's loss layer: the head's kind and format, σ = {@link #outputActivation}, the given loss. */
    public Layer lossLayer(ILossFunction scaledLoss) {
        return OutputHead.lossLayer(head, outputActivation, scaledLoss);
    }

    /**
     * Splits a MultiLayerNetwork whose last layer is an OutputLayer or a LossLayer (see {@link OutputHead}: a softmax or
     * sigmoid just before an identity LossLayer belongs to the loss).
     */
    public static LogitsModel of(MultiLayerNetwork net) {
        requireNonNull(net);
        requireInit(net.getLayers() == null || net.params() == null, "MultiLayerNetwork");
        var conf = net.getLayerWiseConfigurations();
        int n = conf.getConfs().size();
        if (n < 1) {
            throw new IllegalArgumentException("cannot wrap a network without layers");
        }
        Function<String, String> describe = WrappedNetworks.describer(net);
        Layer last = conf.getConf(n - 1).getLayer();
        OutputHead.requireSupported(last, describe.apply(String.valueOf(n - 1)));
        IActivation act = OutputHead.activation(last);
        int layersInLogits = OutputHead.isLoss(last) ? n - 1 : n;
        IActivation absorbed = n >= 2 ? OutputHead.absorbed(last, conf.getConf(n - 2).getLayer()) : null;
        if (absorbed != null) {
            act = absorbed;
            if (conf.getConf(n - 2).getLayer() instanceof ActivationLayer) {
                requireNoPreprocessor(conf.getInputPreProcess(n - 2), describe.apply(String.valueOf(n - 2)));
                layersInLogits = n - 2;
            }
        }
        if (layersInLogits == 0) {
            throw new IllegalArgumentException("the network is only a loss (and its activation): there is no model to "
                    + "wrap");
        }
        if (last instanceof LossLayer) {
            requireNoPreprocessor(conf.getInputPreProcess(n - 1), describe.apply(String.valueOf(n - 1)));
        }
        InputPreProcessor headPreprocessor = OutputHead.perPositionLoss(last) ? conf.getInputPreProcess(n - 1) : null;
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder()
                .dataType(conf.getDataType()).graphBuilder().addInputs("in");
        String previous = "in";
        for (int i = 0; i < layersInLogits; i++) {
            Layer layer = conf.getConf(i).getLayer().clone();
            requireNotWrapped(layer, describe.apply(String.valueOf(i)));
            if (layer instanceof WidthScaledLayer) {
                ((WidthScaledLayer) layer).setInputGradient(true);    // a graph vertex, no longer layer 0 of an MLN
            }
            if (i == n - 1) {
                layer = OutputHead.asLogits(layer);
            } else if (absorbed != null && i == n - 2) {
                layer = OutputHead.withoutActivation(layer);
            }
            b.addLayer(String.valueOf(i), layer, conf.getInputPreProcess(i), previous);
            previous = String.valueOf(i);
        }
        if (headPreprocessor != null) {     // e.g. FeedForwardToRnn before an RnnLossLayer: part of the logits
            b.addVertex(String.valueOf(n - 1), new PreprocessorVertex(headPreprocessor.clone()), previous);
            previous = String.valueOf(n - 1);
        }
        ComputationGraphConfiguration logits = b.setOutputs(previous).build();
        logits.setIterationCount(conf.getIterationCount());
        logits.setEpochCount(conf.getEpochCount());
        return new LogitsModel(logits, act, OutputHead.loss(last), copyParams(logits, net.paramTable()), "in",
                last.clone());
    }

    /**
     * Splits a single-input, single-output ComputationGraph whose output vertex is an OutputLayer or a LossLayer (see
     * {@link OutputHead}).
     */
    public static LogitsModel of(ComputationGraph graph) {
        requireNonNull(graph);
        requireInit(graph.getVertices() == null || graph.params() == null, "ComputationGraph");
        ComputationGraphConfiguration conf = graph.getConfiguration();
        if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) {
            throw new IllegalArgumentException("only graphs with one input and one output can be wrapped; this one has "
                    + "inputs " + conf.getNetworkInputs() + " and outputs " + conf.getNetworkOutputs()
                    + " (one α for several outputs is not supported)");
        }
        String out = conf.getNetworkOutputs().get(0);
        GraphVertex outVertex = conf.getVertices().get(out);
        if (!(outVertex instanceof LayerVertex)) {
            throw new IllegalArgumentException("the output vertex '" + out + "' is a "
                    + outVertex.getClass().getSimpleName() + ", not an output or loss layer");
        }
        LayerVertex lv = (LayerVertex) outVertex;
        Layer last = lv.getLayerConf().getLayer();
        OutputHead.requireSupported(last, "vertex '" + out + "'");
        IActivation act = OutputHead.activation(last);
        String newOut = out;
        String absorbedVertex = null;
        InputPreProcessor headPreprocessor = OutputHead.perPositionLoss(last) ? lv.getPreProcessor() : null;
        if (OutputHead.isLoss(last)) {
            List<String> in = conf.getVertexInputs().get(out);
            if (lv.getPreProcessor() != null && headPreprocessor == null || in.size() != 1) {
                throw new IllegalArgumentException("the output LossLayer '" + out + "' must have one input and "
                        + "no preprocessor to be wrapped");
            }
            newOut = in.get(0);
            IActivation absorbed = conf.getVertices().get(newOut) instanceof LayerVertex ? OutputHead.absorbed(last,
                    ((LayerVertex) conf.getVertices().get(newOut)).getLayerConf().getLayer()) : null;
            if (absorbed != null) {
                requireOnlyFeedsTheLoss(conf, newOut, out);
                act = absorbed;
                absorbedVertex = newOut;
                LayerVertex src = (LayerVertex) conf.getVertices().get(newOut);
                if (src.getLayerConf().getLayer() instanceof ActivationLayer) {
                    requireNoPreprocessor(src.getPreProcessor(), "vertex '" + newOut + "'");
                    newOut = conf.getVertexInputs().get(newOut).get(0);
                }
            }
        }
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder()
                .dataType(conf.getDataType()).graphBuilder().addInputs(conf.getNetworkInputs().get(0));
        for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
            String name = e.getKey();
            String[] inputs = conf.getVertexInputs().get(name).toArray(new String[0]);
            Layer layer = e.getValue() instanceof LayerVertex ? ((LayerVertex) e.getValue()).getLayerConf().getLayer()
                    : null;
            if (layer != null) {
                requireNotWrapped(layer, "vertex '" + name + "'");
            }
            if (name.equals(out) && OutputHead.isLoss(last)
                    || name.equals(absorbedVertex) && layer instanceof ActivationLayer) {
                continue;
            }
            if (name.equals(out) || name.equals(absorbedVertex)) {
                Layer head = name.equals(out) ? OutputHead.asLogits(last.clone()) : OutputHead.withoutActivation(layer);
                b.addLayer(name, head, ((LayerVertex) e.getValue()).getPreProcessor(), inputs);
            } else {
                b.addVertex(name, GraphConfigs.copy(e.getValue()), inputs);
            }
        }
        if (newOut.equals(conf.getNetworkInputs().get(0))) {
            throw new IllegalArgumentException("the graph is only a loss (and its activation): there is no model to "
                    + "wrap");
        }
        if (headPreprocessor != null) {     // the per-position loss's preprocessor becomes part of the logits
            b.addVertex(out, new PreprocessorVertex(headPreprocessor.clone()), newOut);
            newOut = out;
        }
        ComputationGraphConfiguration logits = b.setOutputs(newOut).build();
        logits.setIterationCount(conf.getIterationCount());
        logits.setEpochCount(conf.getEpochCount());
        return new LogitsModel(logits, act, OutputHead.loss(last), copyParams(logits, graph.paramTable()),
                conf.getNetworkInputs().get(0), last.clone());
    }

    /** The vertex whose softmax/sigmoid moves into the loss must feed only the loss (else its output is needed). */
    private static void requireOnlyFeedsTheLoss(ComputationGraphConfiguration conf, String vertex, String loss) {
        for (Map.Entry<String, List<String>> e : conf.getVertexInputs().entrySet()) {
            if (!e.getKey().equals(loss) && e.getValue().contains(vertex)) {
                throw new IllegalArgumentException("vertex '" + vertex + "' applies the output activation (softmax or "
                        + "sigmoid) before the LossLayer '" + loss + "' but also feeds vertex '" + e.getKey()
                        + "': its probabilities cannot be split into logits and loss; give the LossLayer its own "
                        + "activation layer");
            }
        }
    }

    private static void requireNoPreprocessor(org.deeplearning4j.nn.conf.InputPreProcessor p, String where) {
        if (p != null) {
            throw new IllegalArgumentException(where + " has an input preprocessor (" + p.getClass().getSimpleName()
                    + ") between the logits and the loss; wrap a network whose logits reach the loss as they are");
        }
    }

    /** This model with its BatchNormalization layers computing in {@code mode}; same parameters and layout. */
    public LogitsModel withBatchNorm(BatchNormMode mode, Function<String, String> describe) {
        return withLogits(BatchNormVariants.apply(logits, mode, describe));
    }

    /** This model without no-op dropout ({@code Dropout(1.0)}), or without any dropout when {@code all}. */
    public LogitsModel withoutDropout(boolean all) {
        return withLogits(DropoutPolicy.strip(logits, all));
    }

    private LogitsModel withLogits(ComputationGraphConfiguration c) {
        return c == logits ? this : new LogitsModel(c, outputActivation, loss, params, inputName, head);
    }

    private static void requireNonNull(Object net) {
        if (net == null) {
            throw new IllegalArgumentException("the network to wrap (argument 'net') is null: pass an initialised "
                    + "MultiLayerNetwork or "
                    + "ComputationGraph");
        }
    }

    private static void requireInit(boolean uninitialised, String what) {
        if (uninitialised) {
            throw new IllegalArgumentException("the " + what + " is not initialised: call init() before wrapping it");
        }
    }

    /** Refuses a network that already contains a lazy or linearized layer. */
    private static void requireNotWrapped(Layer layer, String where) {
        if (layer instanceof EmbeddedNetworkLayer) {
            throw new IllegalArgumentException("the network is already wrapped: " + where + " is a "
                    + layer.getClass().getSimpleName() + "; wrap the original network instead");
        }
    }

    /** Builds h once to learn its parameter layout and copies the network's parameters into it by key. */
    private static INDArray copyParams(ComputationGraphConfiguration logits, Map<String, INDArray> source) {
        ComputationGraph h = new ComputationGraph(GraphConfigs.copy(logits));
        h.init();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, INDArray> e : h.paramTable().entrySet()) {
            INDArray src = source.get(e.getKey());
            if (src == null || src.length() != e.getValue().length()) {
                missing.add(e.getKey());
                continue;
            }
            e.getValue().assign(src.reshape(e.getValue().shape()));
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("could not map the parameters " + missing + " onto the logits network");
        }
        return h.params().dup().reshape(h.params().length());
    }
}
