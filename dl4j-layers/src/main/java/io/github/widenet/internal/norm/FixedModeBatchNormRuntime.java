package io.github.widenet.internal.norm;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * Runtime of the BatchNormalization variants: DL4J's forward pass in one fixed mode whatever the caller's training flag,
 * and a zero gradient for the running statistics, which therefore never change. Minibatch statistics
 * ({@link BatchStatsBatchNormalization}): DL4J's training-mode backprop. Running statistics
 * ({@link RunningStatsBatchNormalization}): the backprop of y = γ·x̂ + β with x̂ = (x − μ)/s, s = √(σ² + ε) fixed:
 * ∂L/∂β = Σ ε, ∂L/∂γ = Σ ε⊙x̂, ∂L/∂x = ε⊙γ/s.
 */
final class FixedModeBatchNormRuntime extends BatchNormalization {

    private final boolean batchStatistics;

    FixedModeBatchNormRuntime(NeuralNetConfiguration conf, DataType dataType, boolean batchStatistics) {
        super(conf, dataType);
        this.batchStatistics = batchStatistics;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return super.activate(batchStatistics, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (batchStatistics) {
            Pair<Gradient, INDArray> p = super.backpropGradient(epsilon, workspaceMgr);
            BatchNormVariants.zeroRunningStatistics(gradientViews);
            return p;
        }
        assertInputSet(true);
        INDArray x = input.castTo(dataType);
        INDArray eps = epsilon.castTo(dataType);
        ChannelStatistics axes = ChannelStatistics.of(layerConf(), x);
        INDArray s = ChannelStatistics.runningStd(this);
        INDArray xHat = axes.normalize(x, getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN), s);
        INDArray gamma = getParam(BatchNormalizationParamInitializer.GAMMA);
        assign(BatchNormalizationParamInitializer.GAMMA, axes.sum(xHat.muli(eps)));
        assign(BatchNormalizationParamInitializer.BETA, axes.sum(eps));
        BatchNormVariants.zeroRunningStatistics(gradientViews);
        INDArray dx = axes.mul(eps.dup(), gamma.reshape(gamma.length()).div(s));
        Gradient g = new DefaultGradient(gradientsFlattened);
        for (Map.Entry<String, INDArray> e : gradientViews.entrySet()) {
            g.setGradientFor(e.getKey(), e.getValue());
        }
        gradient = g;
        return new Pair<>(g, workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, dx));
    }

    private void assign(String key, INDArray value) {
        INDArray view = gradientViews.get(key);
        view.assign(value.reshape(view.shape()));
    }
}
