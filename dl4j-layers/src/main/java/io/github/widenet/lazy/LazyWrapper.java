package io.github.widenet.lazy;

import io.github.widenet.loss.ScaledLoss;
import io.github.widenet.wrap.LogitsModel;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
        MultiLayerConfiguration conf = base(net.getLayerWiseConfigurations().getDataType(),
                net.getLayerWiseConfigurations().getConfs().get(0).getSeed()).list()
                .layer(layer(h, alpha, cacheSize))
                .layer(lossLayer(h, alpha))
                .build();
        conf.setIterationCount(net.getLayerWiseConfigurations().getIterationCount());
        conf.setEpochCount(net.getLayerWiseConfigurations().getEpochCount());
        MultiLayerNetwork out = new MultiLayerNetwork(conf);
        out.init();
        copyWeights(out.getLayer(0), h.params());
        return out;
    }

    public static ComputationGraph wrap(ComputationGraph graph, double alpha, int cacheSize) {
        LogitsModel h = LogitsModel.of(graph);
        ComputationGraphConfiguration conf = base(graph.getConfiguration().getDataType(),
                graph.getConfiguration().getDefaultConfiguration().getSeed()).graphBuilder()
                .addInputs(h.inputName())
                .addLayer("lazy", layer(h, alpha, cacheSize), h.inputName())
                .addLayer("loss", lossLayer(h, alpha), "lazy")
                .setOutputs("loss")
                .build();
        conf.setIterationCount(graph.getConfiguration().getIterationCount());
        conf.setEpochCount(graph.getConfiguration().getEpochCount());
        ComputationGraph out = new ComputationGraph(conf);
        out.init();
        copyWeights(out.getLayer("lazy"), h.params());
        return out;
    }

    private static NeuralNetConfiguration.Builder base(org.nd4j.linalg.api.buffer.DataType type, long seed) {
        return new NeuralNetConfiguration.Builder().dataType(type).seed(seed);
    }

    private static LazyLayer layer(LogitsModel h, double alpha, int cacheSize) {
        return new LazyLayer(h.logits(), nOut(h), alpha, cacheSize);
    }

    static long nOut(LogitsModel h) {
        String out = h.logits().getNetworkOutputs().get(0);
        var v = h.logits().getVertices().get(out);
        if (v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex) {
            var l = ((org.deeplearning4j.nn.conf.graph.LayerVertex) v).getLayerConf().getLayer();
            if (l instanceof org.deeplearning4j.nn.conf.layers.FeedForwardLayer) {
                return ((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) l).getNOut();
            }
        }
        throw new IllegalArgumentException("cannot tell the number of logits of output vertex '" + out + "'");
    }

    private static LossLayer lossLayer(LogitsModel h, double alpha) {
        return new LossLayer.Builder().activation(h.outputActivation())
                .lossFunction(new ScaledLoss(h.loss(), 1.0 / (alpha * alpha))).build();
    }

    /** Sets w = w0 = the wrapped network's parameters. */
    public static void copyWeights(org.deeplearning4j.nn.api.Layer layer, INDArray weights) {
        INDArray w = weights.reshape(weights.length()).castTo(layer.params().dataType());
        layer.setParams(Nd4j.concat(0, w, w));
    }

    /** The model's {@link LazyLayerRuntime} (its first layer). */
    public static LazyLayerRuntime lazyLayer(Model wrapped) {
        org.deeplearning4j.nn.api.Layer l = wrapped instanceof MultiLayerNetwork
                ? ((MultiLayerNetwork) wrapped).getLayer(0) : ((ComputationGraph) wrapped).getLayer("lazy");
        if (!(l instanceof LazyLayerRuntime)) {
            throw new IllegalArgumentException("not a network made by LazyWrapper");
        }
        return (LazyLayerRuntime) l;
    }
}
