package io.github.widenet.internal.tangent;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed;
import org.deeplearning4j.nn.layers.recurrent.TimeDistributedLayer;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;
import java.util.Set;

/**
 * DL4J's TimeDistributed(DenseLayer), the same dense layer at every time step, h_t = σ(x_t·W + b) over sequences
 * [N, C, T] (NCW) or [N, T, C] (NWC) — also the logits of a final RnnOutputLayer (σ = identity): the sequence is
 * reshaped to the [N·T, C] rows DL4J's layer computes, ḣ_t = σ'(z_t) ⊙ (ẋ_t·W + x_t·δW + δb) by the dense rule
 * ({@link AffineTangent}), and reshaped back.
 */
final class TimeDistributedTangent implements TangentRule {

    static final TangentRuleRegistration REGISTRATION = new TangentRuleRegistration(
            "TimeDistributed (of DenseLayer; NCW, NWC; also a final RnnOutputLayer's logits)",
            Set.of(TimeDistributed.class), TimeDistributedTangent::new, (layer, where) -> {
                org.deeplearning4j.nn.conf.layers.Layer inner = ((TimeDistributed) layer).getUnderlying();
                if (inner.getClass() != DenseLayer.class) {
                    throw new UnsupportedLayerException(where + " wraps " + inner.getClass().getSimpleName()
                            + ", which has no tangent rule here (supported: TimeDistributed of DenseLayer)");
                }
                TangentRules.checkLayer(inner, where + ", wrapped layer");
            });

    private final AffineTangent dense = new AffineTangent();

    @Override
    public INDArray pushForward(Layer layer, INDArray x0, INDArray h0, INDArray xDot, Map<String, INDArray> delta) {
        RecurrentTangent.requireNoMask(layer, ((BaseWrapperLayer) layer).getUnderlying());
        boolean nwc = format(layer) == RNNFormat.NWC;
        Layer inside = ((BaseWrapperLayer) layer).getUnderlying();
        long batch = h0.size(0);
        // DL4J leaves the inner layer's input as the rows [N·T, C]; a rank-3 input is reshaped the same way
        INDArray x = x0.rank() == 3 ? rows(x0, nwc) : x0;
        INDArray rowsDot = dense.pushForward(inside, x, rows(h0, nwc), xDot == null ? null : rows(xDot, nwc), delta);
        return sequence(rowsDot, batch, nwc);
    }

    /**
     * The runtime layer's data format: its conf() is the inner layer's (DL4J instantiates the inner layer with it), so the
     * format is read from the runtime layer's own field.
     */
    private static RNNFormat format(Layer layer) {
        if (layer.conf().getLayer() instanceof TimeDistributed) {
            return ((TimeDistributed) layer.conf().getLayer()).getRnnDataFormat();
        }
        try {
            java.lang.reflect.Field f = TimeDistributedLayer.class.getDeclaredField("rnnDataFormat");
            f.setAccessible(true);
            return (RNNFormat) f.get(layer);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read TimeDistributedLayer's data format in this DL4J version", e);
        }
    }

    /** [N, C, T] (NCW) or [N, T, C] (NWC) as the rows [N·T, C], row n·T + t = step t of example n (DL4J's order). */
    private static INDArray rows(INDArray seq, boolean nwc) {
        INDArray ntc = nwc ? seq : seq.permute(0, 2, 1);
        return ntc.dup('c').reshape('c', seq.size(0) * ntc.size(1), ntc.size(2));
    }

    /** The inverse of {@link #rows}: [N·T, K] back to [N, K, T] (NCW) or [N, T, K] (NWC). */
    private static INDArray sequence(INDArray rows, long batch, boolean nwc) {
        INDArray ntk = rows.reshape('c', batch, rows.size(0) / batch, rows.size(1));
        return nwc ? ntk : ntk.permute(0, 2, 1).dup('c');
    }
}
