package io.github.widenet.internal.tangent;

import io.github.widenet.internal.norm.BatchStatsBatchNormalization;
import io.github.widenet.internal.norm.ChannelStatistics;
import io.github.widenet.internal.norm.RunningStatsBatchNormalization;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;
import java.util.Set;

/**
 * Batch normalization y = γ·x̂ + β, x̂ = (x − μ)/s, per channel (see {@link io.github.widenet.layers.BatchNormMode}).
 * Running statistics (INFERENCE): μ, s = √(σ² + ε) are constants, ẏ = γ0/s·ẋ + δγ·x̂0 + δβ. Minibatch statistics
 * (TRAINING): μ = mean(x), s = √(var(x) + ε) over the batch (and positions), so μ̇ = mean(ẋ), ṡ = mean(x̂0·ẋ) and
 * ẏ = γ0/s·(ẋ − mean(ẋ) − x̂0·mean(x̂0·ẋ)) + δγ·x̂0 + δβ. The tangents of the running statistics do not enter (they are
 * constants in INFERENCE mode and unused in TRAINING mode).
 */
final class BatchNormTangent implements TangentRule {

    static final TangentRuleRegistration INFERENCE = TangentRuleRegistration.of(
            "BatchNormalization (BatchNormMode.INFERENCE, the default: running statistics)",
            () -> new BatchNormTangent(false), Set.of(RunningStatsBatchNormalization.class));

    static final TangentRuleRegistration TRAINING = TangentRuleRegistration.of(
            "BatchNormalization (BatchNormMode.TRAINING: minibatch statistics)",
            () -> new BatchNormTangent(true), Set.of(BatchStatsBatchNormalization.class));

    private final boolean batchStatistics;

    private BatchNormTangent(boolean batchStatistics) {
        this.batchStatistics = batchStatistics;
    }

    @Override
    public INDArray pushForward(Layer layer, INDArray x0, INDArray h0, INDArray xDot, Map<String, INDArray> delta) {
        BatchNormalization conf = (BatchNormalization) layer.conf().getLayer();
        INDArray x = x0.castTo(h0.dataType());
        ChannelStatistics axes = ChannelStatistics.of(conf, x);
        INDArray s = batchStatistics ? axes.batchStd(x, conf.getEps()) : ChannelStatistics.runningStd(layer);
        INDArray mu = batchStatistics ? axes.mean(x) : layer.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN);
        INDArray xHat = axes.normalize(x, mu, s);
        INDArray out;
        if (xDot == null) {
            out = Nd4j.zeros(h0.dataType(), h0.shape());
        } else {
            out = xDot.castTo(h0.dataType()).dup();
            if (batchStatistics) {
                INDArray projection = axes.mean(xHat.mul(out));
                axes.add(out, axes.mean(out).negi());
                out.subi(axes.mul(xHat.dup(), projection));
            }
            INDArray gamma = layer.getParam(BatchNormalizationParamInitializer.GAMMA);
            axes.mul(out, gamma.reshape(gamma.length()).div(s));
        }
        out.addi(axes.mul(xHat, delta.get(BatchNormalizationParamInitializer.GAMMA)));
        return axes.add(out, delta.get(BatchNormalizationParamInitializer.BETA));
    }
}
