package io.github.widenet.internal.params;

import io.github.widenet.layers.WidthScaledLayer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameters of a {@link WidthScaledLayer}: one flat view laid out as [W (nIn·m, column-major nIn × m) | b (m) |
 * C (m·nOut, column-major m × nOut)]. Fresh parameters are i.i.d. Gaussian per unit: W ~ N(0, σ_W²) with
 * σ_W = 1/√nIn by default, b ~ N(0, σ_b²) (default σ_b = 0, i.e. zeros), C ~ N(0, σ_C²) (default σ_C = 1),
 * drawn from ND4J's global generator, which the network seeds from its configuration. Loaded parameters are checked
 * to be finite.
 */
public final class WidthScaledParamInitializer implements ParamInitializer {

    private static final WidthScaledParamInitializer INSTANCE = new WidthScaledParamInitializer();

    private WidthScaledParamInitializer() {
    }

    public static WidthScaledParamInitializer getInstance() {
        return INSTANCE;
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        WidthScaledLayer l = (WidthScaledLayer) layer;
        return l.getNIn() * l.getUnits() + l.getUnits() + l.getUnits() * l.getNOut();
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return Arrays.asList(WidthScaledLayer.INPUT_WEIGHT_KEY, WidthScaledLayer.BIAS_KEY,
                WidthScaledLayer.OUTPUT_WEIGHT_KEY);
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return Arrays.asList(WidthScaledLayer.INPUT_WEIGHT_KEY, WidthScaledLayer.OUTPUT_WEIGHT_KEY);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return Collections.singletonList(WidthScaledLayer.BIAS_KEY);
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return WidthScaledLayer.INPUT_WEIGHT_KEY.equals(key) || WidthScaledLayer.OUTPUT_WEIGHT_KEY.equals(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return WidthScaledLayer.BIAS_KEY.equals(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        WidthScaledLayer l = (WidthScaledLayer) conf.getLayer();
        long expected = numParams(l);
        if (paramsView.length() != expected) {
            throw new IllegalStateException(ParamChecks.describe(l) + ": expected a parameter view of length " + expected
                    + ", got " + paramsView.length());
        }
        Map<String, INDArray> views = split(l, paramsView);
        if (initializeParams) {
            StandardNormal.fill(views.get(WidthScaledLayer.INPUT_WEIGHT_KEY), l.effectiveInputWeightStd());
            StandardNormal.fill(views.get(WidthScaledLayer.BIAS_KEY), l.getBiasStd());
            StandardNormal.fill(views.get(WidthScaledLayer.OUTPUT_WEIGHT_KEY), l.getOutputWeightStd());
        } else {
            ParamChecks.requireFinite(ParamChecks.describe(l), views);
        }
        for (String key : views.keySet()) {
            conf.addVariable(key);
        }
        return Collections.synchronizedMap(views);
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return split((WidthScaledLayer) conf.getLayer(), gradientView);
    }

    /** Splits a flat array of this layer's length into the W, b, C views (column-major matrices, b a row). */
    static Map<String, INDArray> split(WidthScaledLayer l, INDArray flat) {
        INDArray v = flat.reshape(flat.length());
        long nIn = l.getNIn();
        long m = l.getUnits();
        long nOut = l.getNOut();
        long w = nIn * m;
        Map<String, INDArray> out = new LinkedHashMap<>();
        out.put(WidthScaledLayer.INPUT_WEIGHT_KEY, v.get(NDArrayIndex.interval(0, w)).reshape('f', nIn, m));
        out.put(WidthScaledLayer.BIAS_KEY, v.get(NDArrayIndex.interval(w, w + m)).reshape(1, m));
        out.put(WidthScaledLayer.OUTPUT_WEIGHT_KEY, v.get(NDArrayIndex.interval(w + m, w + m + m * nOut))
                .reshape('f', m, nOut));
        return out;
    }
}
