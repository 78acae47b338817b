package io.github.widenet.internal.wrap;

import io.github.widenet.wrap.EmbeddedNetworkLayer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameters of an {@link EmbeddedNetworkLayer}: [w | w0], each in the embedded network's flat layout, exposed as flat
 * views under the keys {@code "w.<key>"} and {@code "w0.<key>"} ('_' written '.'). Fresh parameters are the embedded network's own seeded
 * initialisation, with w0 = w (the wrappers then overwrite both with the wrapped network's parameters). Loaded parameters
 * are checked to be finite.
 */
public final class EmbeddedNetworkParamInitializer implements ParamInitializer {

    private static final EmbeddedNetworkParamInitializer INSTANCE = new EmbeddedNetworkParamInitializer();

    public static EmbeddedNetworkParamInitializer getInstance() {
        return INSTANCE;
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        return 2 * ParamLayout.of((EmbeddedNetworkLayer) layer).total();
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        List<String> keys = new ArrayList<>();
        for (boolean initial : new boolean[]{false, true}) {
            for (String k : ParamLayout.of((EmbeddedNetworkLayer) layer).keys()) {
                keys.add(EmbeddedNetworkLayer.hostKey(k, initial));
            }
        }
        return keys;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        List<String> out = new ArrayList<>();
        for (String k : paramKeys(layer)) {
            if (k.endsWith(".W") || k.endsWith(".C")) {
                out.add(k);
            }
        }
        return out;
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        List<String> out = new ArrayList<>();
        for (String k : paramKeys(layer)) {
            if (k.endsWith(".b")) {
                out.add(k);
            }
        }
        return out;
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return weightKeys(layer).contains(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return biasKeys(layer).contains(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        EmbeddedNetworkLayer layer = (EmbeddedNetworkLayer) conf.getLayer();
        long n = ParamLayout.of(layer).total();
        INDArray flat = paramsView.reshape(paramsView.length());
        if (flat.length() != 2 * n) {
            throw new IllegalStateException("expected a parameter view of length " + 2 * n + ", got " + flat.length());
        }
        if (initializeParams) {
            INDArray fresh = ParamLayout.of(layer).freshParams();
            flat.get(NDArrayIndex.interval(0, n)).assign(fresh);
            flat.get(NDArrayIndex.interval(n, 2 * n)).assign(fresh);
        }
        Map<String, INDArray> views = split(layer, paramsView);
        if (!initializeParams) {
            io.github.widenet.internal.params.ParamChecks.requireFinite(
                    io.github.widenet.internal.params.ParamChecks.describe(layer), views);
        }
        for (String k : views.keySet()) {
            conf.addVariable(k);
        }
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return split((EmbeddedNetworkLayer) conf.getLayer(), gradientView);
    }

    private static Map<String, INDArray> split(EmbeddedNetworkLayer layer, INDArray view) {
        INDArray flat = view.reshape(view.length());
        ParamLayout l = ParamLayout.of(layer);
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (int half = 0; half < 2; half++) {
            long base = half * l.total();
            for (int i = 0; i < l.keys().size(); i++) {
                long from = base + l.offset(i);
                out.put(EmbeddedNetworkLayer.hostKey(l.keys().get(i), half == 1),
                        flat.get(NDArrayIndex.interval(from, from + l.length(i))));
            }
        }
        return out;
    }
}
