package io.github.widenet.internal.params;

import io.github.widenet.layers.NtkConvolutionLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * Parameters of an {@link NtkConvolutionLayer}: DL4J's convolution layout ({@code "b"} [nOut] then {@code "W"}
 * [nOut, nIn, kH, kW] row-major), freshly drawn i.i.d. N(0, 1); loaded parameters are checked to be finite.
 */
public final class NtkConvolutionParamInitializer extends ConvolutionParamInitializer {

    private static final NtkConvolutionParamInitializer INSTANCE = new NtkConvolutionParamInitializer();

    public static NtkConvolutionParamInitializer getInstance() {
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
    protected INDArray createWeightMatrix(NeuralNetConfiguration conf, INDArray weightView, boolean initializeParams) {
        INDArray w = super.createWeightMatrix(conf, weightView, false);
        return initializeParams ? StandardNormal.fill(w, 1.0) : w;
    }

    @Override
    protected INDArray createBias(NeuralNetConfiguration conf, INDArray biasView, boolean initializeParams) {
        return initializeParams ? StandardNormal.fill(biasView, 1.0) : biasView;
    }
}
