package io.github.widenet.layers.runtime;

import io.github.widenet.layers.NtkDenseLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runtime of {@link NtkDenseLayer}: DL4J's dense forward/backward on the effective parameters
 * (σ_w/√nIn)·W and σ_b·b, with gradients mapped back to the stored N(0, 1) parameters.
 */
public class NtkDenseLayerRuntime extends BaseLayer<NtkDenseLayer> {

    private final NtkEffectiveParams ntk = new NtkEffectiveParams();

    public NtkDenseLayerRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    protected INDArray getParamWithNoise(String param, boolean training, LayerWorkspaceMgr workspaceMgr) {
        return ntk.effective(layerConf(), param, getParam(param));
    }

    /** DL4J's forward pass, with NaN/Inf in the input or output reported by {@link NonFiniteCheck}. */
    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return NonFiniteCheck.checkedForward(this, () -> super.activate(training, workspaceMgr));
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        Pair<Gradient, INDArray> out = super.backpropGradient(epsilon, workspaceMgr);
        ntk.scaleGradients(layerConf(), out.getFirst());
        return out;
    }

    @Override
    public boolean hasBias() {
        return layerConf().hasBias();
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void fit(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        throw new UnsupportedOperationException("Train the network that contains this layer");
    }
}
