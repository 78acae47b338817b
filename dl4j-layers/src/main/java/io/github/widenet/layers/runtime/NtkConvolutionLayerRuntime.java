package io.github.widenet.layers.runtime;

import io.github.widenet.layers.NtkConvolutionLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runtime of {@link NtkConvolutionLayer}: the 2-D convolution forward/backward of {@link FastConvolutionLayerRuntime} on the
 * effective parameters (σ_w/√(nIn·kH·kW))·W and σ_b·b, with gradients mapped back to the stored N(0, 1) parameters.
 */
public class NtkConvolutionLayerRuntime extends FastConvolutionLayerRuntime {

    private final NtkEffectiveParams ntk = new NtkEffectiveParams();

    public NtkConvolutionLayerRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private NtkConvolutionLayer ntkConf() {
        return (NtkConvolutionLayer) conf.getLayer();
    }

    @Override
    protected INDArray getParamWithNoise(String param, boolean training, LayerWorkspaceMgr workspaceMgr) {
        return ntk.effective(ntkConf(), param, getParam(param));
    }

    /** DL4J's forward pass, with NaN/Inf in the input or output reported by {@link NonFiniteCheck}. */
    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return NonFiniteCheck.checkedForward(this, () -> super.activate(training, workspaceMgr));
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        Pair<Gradient, INDArray> out = super.backpropGradient(epsilon, workspaceMgr);
        ntk.scaleGradients(ntkConf(), out.getFirst());
        return out;
    }
}
