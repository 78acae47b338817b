package io.github.widenet.internal.norm;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.stream.IntStream;

/**
 * The per-channel arithmetic of a batch-normalization layer on activations [N, C] or [N, C, H, W] / [N, H, W, C]: the
 * channel axis, the axes statistics are taken over (all others), the running standard deviation √(σ² + ε) (σ² stored as
 * the variance or as log10 of the standard deviation, as DL4J does), batch statistics, and per-channel broadcasting.
 */
public final class ChannelStatistics {

    private final int channelAxis;
    private final int[] reduce;

    private ChannelStatistics(int rank, int channelAxis) {
        this.channelAxis = channelAxis;
        this.reduce = IntStream.range(0, rank).filter(d -> d != channelAxis).toArray();
    }

    /** The axes of activations {@code x} of a layer configured by {@code conf}. */
    public static ChannelStatistics of(BatchNormalization conf, INDArray x) {
        if (x.rank() == 2) {
            return new ChannelStatistics(2, 1);
        }
        if (x.rank() == 4) {
            return new ChannelStatistics(4, conf.getCnn2DFormat() == CNN2DFormat.NHWC ? 3 : 1);
        }
        throw new IllegalArgumentException("BatchNormalization" + (conf.getLayerName() == null ? ""
                : " '" + conf.getLayerName() + "'") + ": activations of rank " + x.rank()
                + " are not supported by the wrappers (rank 2 or 4 only)");
    }

    /** √(σ² + ε) from the layer's running statistics, a vector of length C. */
    public static INDArray runningStd(Layer layer) {
        BatchNormalization conf = (BatchNormalization) layer.conf().getLayer();
        INDArray var;
        if (conf.isUseLogStd()) {
            INDArray std = Transforms.pow(Nd4j.valueArrayOf(layer.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD)
                    .shape(), 10.0, layer.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD).dataType()),
                    layer.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD), false);
            var = std.muli(std);
        } else {
            var = layer.getParam(BatchNormalizationParamInitializer.GLOBAL_VAR).dup();
        }
        return Transforms.sqrt(var.addi(conf.getEps()), false).reshape(var.length());
    }

    /** The per-channel mean over the reduction axes, a vector of length C. */
    public INDArray mean(INDArray x) {
        return x.mean(reduce).reshape(x.size(channelAxis));
    }

    /** √(batch variance (biased) + ε) per channel. */
    public INDArray batchStd(INDArray x, double eps) {
        return Transforms.sqrt(x.var(false, reduce).addi(eps), false).reshape(x.size(channelAxis));
    }

    /** (x − μ)/s per channel, a new array. */
    public INDArray normalize(INDArray x, INDArray mu, INDArray s) {
        INDArray out = Nd4j.createUninitialized(x.dataType(), x.shape());
        Nd4j.getExecutioner().exec(new BroadcastSubOp(x, mu.castTo(x.dataType()), out, channelAxis));
        return mul(out, s.rdiv(1.0));
    }

    /** x ⊙ c (c per channel), in place. */
    public INDArray mul(INDArray x, INDArray perChannel) {
        Nd4j.getExecutioner().exec(new BroadcastMulOp(x, perChannel.reshape(perChannel.length()).castTo(x.dataType()),
                x, channelAxis));
        return x;
    }

    /** x + c (c per channel), in place. */
    public INDArray add(INDArray x, INDArray perChannel) {
        Nd4j.getExecutioner().exec(new BroadcastAddOp(x, perChannel.reshape(perChannel.length()).castTo(x.dataType()),
                x, channelAxis));
        return x;
    }

    /** Σ over the reduction axes, a vector of length C. */
    public INDArray sum(INDArray x) {
        return x.sum(reduce).reshape(x.size(channelAxis));
    }
}
