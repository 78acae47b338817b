package io.github.widenet.internal.tangent;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.params.LSTMParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Map;

/**
 * Recurrent layers h_t = F(x_t, h_{t−1}; w) over sequences [N, C, T] (DL4J's NCW; NWC inputs and outputs are permuted):
 * the tangent is itself a recurrence, ḣ_t = ∂F/∂x·ẋ_t + ∂F/∂h·ḣ_{t−1} + ∂F/∂w·δ, run forward in time beside the primal
 * one, which is recomputed from the layer's input at w0 (DL4J keeps neither every state under {@code LastTimeStep} nor
 * LSTM's cell state), with h_{−1} = 0 as in DL4J's forward pass without stored state. Subclasses write the recurrence;
 * masks are refused.
 */
abstract class RecurrentTangent implements TangentRule {

    /**
     * The primal output sequence h and its tangent ḣ, both [N, nOut, T] (NCW), of a layer at the parameters w0.
     *
     * @param conf   the layer's configuration (for a Bidirectional layer's direction: that direction's)
     * @param params its parameters w0 by key ("W", "RW", "b")
     * @param x      the input sequence [N, nIn, T] (NCW), in the parameters' data type
     * @param xDot   its tangent (NCW), or null
     * @param delta  the parameter tangents by the same keys
     * @return {h, ḣ}
     */
    abstract INDArray[] sequence(org.deeplearning4j.nn.conf.layers.Layer conf, Map<String, INDArray> params, INDArray x,
                                 INDArray xDot, Map<String, INDArray> delta);

    /**
     * A recurrent layer's parameters w0 — input weights W, recurrent weights R, bias b — and their tangents, read by the
     * keys DL4J's SimpleRnn and LSTM initializers share ("W", "RW", "b").
     */
    record Weights(INDArray w, INDArray r, INDArray b, INDArray dW, INDArray dR, INDArray dB) {
        static Weights of(Map<String, INDArray> params, Map<String, INDArray> delta) {
            String w = LSTMParamInitializer.INPUT_WEIGHT_KEY;
            String r = LSTMParamInitializer.RECURRENT_WEIGHT_KEY;
            String b = LSTMParamInitializer.BIAS_KEY;
            return new Weights(params.get(w), params.get(r), params.get(b), delta.get(w), delta.get(r), delta.get(b));
        }
    }

    @Override
    public INDArray pushForward(Layer layer, INDArray x0, INDArray h0, INDArray xDot, Map<String, INDArray> delta) {
        INDArray out = ncwTangent(layer, x0, xDot, delta);
        return nwc(layer.conf().getLayer()) ? out.permute(0, 2, 1).dup('c') : out;
    }

    /** The output tangent sequence in NCW for an input (and tangent) in the layer's own format. */
    final INDArray ncwTangent(Layer layer, INDArray x0, INDArray xDot, Map<String, INDArray> delta) {
        requireNoMask(layer, layer);
        org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
        DataType type = layer.params().dataType();
        boolean nwc = nwc(conf);
        return sequence(conf, layer.paramTable(), ncw(x0, nwc, type), xDot == null ? null : ncw(xDot, nwc, type),
                delta)[1];
    }

    private static boolean nwc(org.deeplearning4j.nn.conf.layers.Layer conf) {
        RNNFormat format = conf instanceof Bidirectional ? ((Bidirectional) conf).getRNNDataFormat()
                : ((BaseRecurrentLayer) conf).getRnnDataFormat();
        return format == RNNFormat.NWC;
    }

    /** The sequence reversed in time (NCW). */
    static INDArray reverse(INDArray seq) {
        INDArray out = Nd4j.create(seq.dataType(), seq.shape());
        long steps = seq.size(2);
        for (long t = 0; t < steps; t++) {
            putStep(out, steps - 1 - t, step(seq, t));
        }
        return out;
    }

    private static INDArray ncw(INDArray seq, boolean nwc, DataType type) {
        if (seq.rank() != 3) {
            throw new IllegalArgumentException("a recurrent layer's input must be a sequence [N, C, T] or [N, T, C], got "
                    + java.util.Arrays.toString(seq.shape()));
        }
        INDArray s = seq.castTo(type);
        return nwc ? s.permute(0, 2, 1) : s;
    }

    /** Step t of an NCW sequence, as a fresh [N, C] matrix. */
    static INDArray step(INDArray seq, long t) {
        return seq.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t)).dup('c')
                .reshape(seq.size(0), seq.size(1));
    }

    /** Writes the [N, C] matrix {@code value} into step t of the NCW sequence {@code seq}. */
    static void putStep(INDArray seq, long t, INDArray value) {
        seq.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t)).assign(value.reshape(
                seq.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t)).shape()));
    }

    /** Columns [from, to) of a matrix, as a fresh matrix. */
    static INDArray columns(INDArray m, long from, long to) {
        return m.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to)).dup('c');
    }

    /** Throws if {@code layer} (or the wrapper {@code owner} around it) has a mask: masked sequences have no rule. */
    static void requireNoMask(Layer owner, Layer layer) {
        if (owner.getMaskArray() != null || layer.getMaskArray() != null) {
            org.deeplearning4j.nn.conf.layers.Layer conf = owner.conf().getLayer();
            throw new UnsupportedLayerException("layer " + owner.getIndex() + (conf.getLayerName() == null ? ""
                    : " '" + conf.getLayerName() + "'") + " (" + conf.getClass().getSimpleName()
                    + ") has a feature mask: the tangent rules take unmasked sequences only (pad or bucket by length)");
        }
    }
}
