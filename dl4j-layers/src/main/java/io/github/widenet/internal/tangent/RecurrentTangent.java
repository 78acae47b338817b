package io.github.widenet.internal.tangent;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
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
     * The output tangent sequence [N, nOut, T] (NCW) of the layer at its parameters w0.
     *
     * @param x    the input sequence [N, nIn, T] (NCW), in the parameters' data type
     * @param xDot its tangent (NCW), or null
     */
    abstract INDArray sequenceTangent(Layer layer, INDArray x, INDArray xDot, Map<String, INDArray> delta);

    @Override
    public INDArray pushForward(Layer layer, INDArray x0, INDArray h0, INDArray xDot, Map<String, INDArray> delta) {
        INDArray out = ncwTangent(layer, x0, xDot, delta);
        return nwc(layer) ? out.permute(0, 2, 1).dup('c') : out;
    }

    /** The output tangent sequence in NCW for an input (and tangent) in the layer's own format. */
    final INDArray ncwTangent(Layer layer, INDArray x0, INDArray xDot, Map<String, INDArray> delta) {
        requireNoMask(layer, layer);
        DataType type = layer.getParam(weightKey()).dataType();
        boolean nwc = nwc(layer);
        return sequenceTangent(layer, ncw(x0, nwc, type), xDot == null ? null : ncw(xDot, nwc, type), delta);
    }

    /** The input weight key (for the parameters' data type). */
    String weightKey() {
        return "W";
    }

    private static boolean nwc(Layer layer) {
        return ((BaseRecurrentLayer) layer.conf().getLayer()).getRnnDataFormat() == RNNFormat.NWC;
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
