package io.github.widenet.internal.wrap;

import io.github.widenet.internal.norm.BatchNormVariants;
import io.github.widenet.layers.BatchNormMode;
import io.github.widenet.layers.WidthScaledLayer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A classifier or regressor split into its logits network h (everything up to the loss's own activation) and its loss:
 * the final {@link OutputLayer} becomes a {@link DenseLayer} with identity activation and the same parameters, or a final
 * {@link LossLayer} is dropped. The logits network is always a {@link ComputationGraph} configuration (a MultiLayerNetwork
 * becomes the chain "in" → "0" → "1" → …, whose parameter layout and keys equal the network's), so both wrappers drive one
 * kind of graph.
 *
 * @param logits           configuration of h
 * @param outputActivation the loss's activation (e.g. softmax), applied after h
 * @param loss             the loss function
 * @param params           the network's current parameters in h's flat layout (a copy)
 * @param inputName        name of h's single input
 */
public record LogitsModel(ComputationGraphConfiguration logits, IActivation outputActivation, ILossFunction loss,
                          INDArray params, String inputName) {

    /** Splits a MultiLayerNetwork whose last layer is an OutputLayer or a LossLayer. */
    public static LogitsModel of(MultiLayerNetwork net) {
        requireNonNull(net);
        requireInit(net.getLayers() == null || net.params() == null, "MultiLayerNetwork");
        var conf = net.getLayerWiseConfigurations();
        int n = conf.getConfs().size();
        if (n < 1) {
            throw new IllegalArgumentException("cannot wrap a network without layers");
        }
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder()
                .dataType(conf.getDataType()).graphBuilder().addInputs("in");
        String previous = "in";
        Layer last = conf.getConf(n - 1).getLayer();
        int layersInLogits = last instanceof LossLayer ? n - 1 : n;
        if (layersInLogits == 0) {
            throw new IllegalArgumentException("the network is a single LossLayer: there is no model to wrap");
        }
        for (int i = 0; i < layersInLogits; i++) {
            Layer layer = conf.getConf(i).getLayer().clone();
            requireNotWrapped(layer, "layer " + i);
            if (layer instanceof WidthScaledLayer) {
                ((WidthScaledLayer) layer).setInputGradient(true);    // a graph vertex, no longer layer 0 of an MLN
            }
            if (i == n - 1) {
                layer = asLogits(layer, "layer " + i);
            }
            b.addLayer(String.valueOf(i), layer, conf.getInputPreProcess(i), previous);
            previous = String.valueOf(i);
        }
        if (last instanceof LossLayer && conf.getInputPreProcess(n - 1) != null) {
            throw new IllegalArgumentException("the final LossLayer has an input preprocessor ("
                    + conf.getInputPreProcess(n - 1).getClass().getSimpleName() + "); wrap a network whose logits are "
                    + "the LossLayer's input as they are");
        }
        ComputationGraphConfiguration logits = b.setOutputs(previous).build();
        logits.setIterationCount(conf.getIterationCount());
        logits.setEpochCount(conf.getEpochCount());
        IActivation act = outputActivation(last);
        ILossFunction loss = lossOf(last, "layer " + (n - 1));
        return new LogitsModel(logits, act, loss, copyParams(logits, net.paramTable()), "in");
    }

    /** Splits a single-input, single-output ComputationGraph whose output vertex is an OutputLayer or a LossLayer. */
    public static LogitsModel of(ComputationGraph graph) {
        requireNonNull(graph);
        requireInit(graph.getVertices() == null || graph.params() == null, "ComputationGraph");
        ComputationGraphConfiguration conf = graph.getConfiguration();
        if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) {
            throw new IllegalArgumentException("only graphs with one input and one output can be wrapped; this one has "
                    + conf.getNetworkInputs() + " inputs and " + conf.getNetworkOutputs() + " outputs");
        }
        String out = conf.getNetworkOutputs().get(0);
        GraphVertex outVertex = conf.getVertices().get(out);
        if (!(outVertex instanceof LayerVertex)) {
            throw new IllegalArgumentException("the output vertex '" + out + "' is a "
                    + outVertex.getClass().getSimpleName() + ", not an output or loss layer");
        }
        LayerVertex lv = (LayerVertex) outVertex;
        Layer last = lv.getLayerConf().getLayer();
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder()
                .dataType(conf.getDataType()).graphBuilder().addInputs(conf.getNetworkInputs().get(0));
        String newOut = out;
        for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
            String name = e.getKey();
            List<String> inputs = conf.getVertexInputs().get(name);
            if (name.equals(out)) {
                if (last instanceof LossLayer) {
                    if (lv.getPreProcessor() != null || inputs.size() != 1) {
                        throw new IllegalArgumentException("the output LossLayer '" + out + "' must have one input and "
                                + "no preprocessor to be wrapped");
                    }
                    newOut = inputs.get(0);
                    continue;
                }
                b.addLayer(name, asLogits(last.clone(), "vertex '" + name + "'"), lv.getPreProcessor(),
                        inputs.toArray(new String[0]));
            } else {
                if (e.getValue() instanceof LayerVertex) {
                    requireNotWrapped(((LayerVertex) e.getValue()).getLayerConf().getLayer(), "vertex '" + name + "'");
                }
                b.addVertex(name, GraphConfigs.copy(e.getValue()), inputs.toArray(new String[0]));
            }
        }
        if (newOut.equals(conf.getNetworkInputs().get(0))) {
            throw new IllegalArgumentException("the graph is a single LossLayer: there is no model to wrap");
        }
        ComputationGraphConfiguration logits = b.setOutputs(newOut).build();
        logits.setIterationCount(conf.getIterationCount());
        logits.setEpochCount(conf.getEpochCount());
        return new LogitsModel(logits, outputActivation(last), lossOf(last, "vertex '" + out + "'"),
                copyParams(logits, graph.paramTable()), conf.getNetworkInputs().get(0));
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
        return c == logits ? this : new LogitsModel(c, outputActivation, loss, params, inputName);
    }

    private static void requireNonNull(Object net) {
        if (net == null) {
            throw new IllegalArgumentException("the network to wrap is null: pass an initialised MultiLayerNetwork or "
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

    /** The OutputLayer as a dense identity layer with the same parameters and training settings. */
    private static Layer asLogits(Layer layer, String where) {
        if (layer instanceof OutputLayer) {
            OutputLayer o = (OutputLayer) layer;
            DenseLayer d = new DenseLayer.Builder().nIn(o.getNIn()).nOut(o.getNOut()).hasBias(o.hasBias())
                    .activation(Activation.IDENTITY).build();
            d.setLayerName(o.getLayerName());
            d.setIUpdater(o.getIUpdater());
            d.setBiasUpdater(o.getBiasUpdater());
            d.setRegularization(o.getRegularization());
            d.setRegularizationBias(o.getRegularizationBias());
            d.setWeightInitFn(o.getWeightInitFn());
            d.setBiasInit(o.getBiasInit());
            d.setGradientNormalization(o.getGradientNormalization());
            d.setGradientNormalizationThreshold(o.getGradientNormalizationThreshold());
            d.setIDropout(o.getIDropout());
            d.setWeightNoise(o.getWeightNoise());
            d.setConstraints(o.getConstraints());
            return d;
        }
        if (layer instanceof BaseOutputLayer) {
            throw new IllegalArgumentException("the final " + where + " is a " + layer.getClass().getSimpleName()
                    + "; only OutputLayer (dense) or LossLayer outputs can be wrapped");
        }
        throw new IllegalArgumentException("the final " + where + " is a " + layer.getClass().getSimpleName()
                + ", not an OutputLayer or LossLayer: the network has no loss to wrap");
    }

    private static IActivation outputActivation(Layer last) {
        return last instanceof LossLayer ? ((LossLayer) last).getActivationFn()
                : ((BaseOutputLayer) last).getActivationFn();
    }

    private static ILossFunction lossOf(Layer last, String where) {
        if (last instanceof LossLayer) {
            return ((LossLayer) last).getLossFn();
        }
        if (last instanceof BaseOutputLayer) {
            return ((BaseOutputLayer) last).getLossFn();
        }
        throw new IllegalArgumentException("the final " + where + " has no loss function");
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
