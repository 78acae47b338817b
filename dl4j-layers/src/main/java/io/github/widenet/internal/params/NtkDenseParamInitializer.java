package io.github.widenet.internal.params;

import io.github.widenet.layers.NtkDenseLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * Parameters of an {@link NtkDenseLayer}: DL4J's dense layout ({@code "W"} nIn × nOut column-major, then {@code "b"}),
 * freshly drawn i.i.d. N(0, 1) as the NTK parameterization requires; loaded parameters are checked to be finite.
 */
public final class NtkDenseParamInitializer extends DefaultParamInitializer {

    private static final NtkDenseParamInitializer INSTANCE = new NtkDenseParamInitializer();

    public static NtkDenseParamInitializer getInstance() {
        return INSTANCE;
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        Map<String, INDArray> params = super.init(conf, paramsView, initializeParams);
        if (!initializeParams) {
            ParamChecks.requireFinite(ParamChecks.describe(conf.getLayer()), params);
        }
        return params;
    }

    @Override
    protected INDArray createWeightMatrix(NeuralNetConfiguration conf, INDArray weightParamView,
                                          boolean initializeParameters) {
        INDArray w = super.createWeightMatrix(conf, weightParamView, false);
        return initializeParameters ? StandardNormal.fill(w, 1.0) : w;
    }

    @Override
    protected INDArray createBias(NeuralNetConfiguration conf, INDArray biasParamView, boolean initializeParameters) {
        return initializeParameters ? StandardNormal.fill(biasParamView, 1.0) : biasParamView;
    }

    @Override
    protected boolean hasBias(Layer layer) {
        return ((NtkDenseLayer) layer).hasBias();
    }

    @Override
    protected boolean hasLayerNorm(Layer layer) {
        return false;
    }
}
