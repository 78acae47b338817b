package io.github.widenet.internal.tangent;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Map;
import java.util.Set;

/**
 * DL4J's local response normalization across channels, as its forward pass computes it (no division of α by n):
 * <pre>
 *     y_c = x_c · u_c^(−β),   u_c = k + α Σ_{|j−c| ≤ ⌊n/2⌋} x_j²
 *     ẏ_c = ẋ_c · u_c^(−β) − 2αβ · x_c · u_c^(−β−1) · Σ_{|j−c| ≤ ⌊n/2⌋} x_j ẋ_j
 * </pre>
 * (channels on axis 1 for NCHW, 3 for NHWC). This is the exact derivative of the forward pass; DL4J M2.1's own LRN
 * backprop is not (see LrnTangentTest), and training and the NTK go through it, so the rule is not in the registry yet:
 * LRN is refused with {@link LrnBackprop#message}.
 */
final class LrnTangent implements TangentRule {

    static final TangentRuleRegistration REGISTRATION = TangentRuleRegistration.of(
            "LocalResponseNormalization (exact derivative of DL4J's forward pass)", LrnTangent::new,
            Set.of(LocalResponseNormalization.class));

    @Override
    public INDArray pushForward(Layer layer, INDArray x0, INDArray h0, INDArray xDot, Map<String, INDArray> delta) {
        if (xDot == null) {
            return Nd4j.zeros(h0.dataType(), h0.shape());
        }
        LocalResponseNormalization c = (LocalResponseNormalization) layer.conf().getLayer();
        int axis = c.getDataFormat() == CNN2DFormat.NHWC ? 3 : 1;
        int half = (int) c.getN() / 2;
        INDArray x = x0.castTo(h0.dataType());
        INDArray xd = xDot.castTo(h0.dataType());
        INDArray u = windowSum(x.mul(x), axis, half).muli(c.getAlpha()).addi(c.getK());
        INDArray scale = Transforms.pow(u, -c.getBeta(), true);
        INDArray s = windowSum(x.mul(xd), axis, half);
        INDArray second = s.muli(x).muli(Transforms.pow(u, -c.getBeta() - 1, true)).muli(2 * c.getAlpha() * c.getBeta());
        return xd.mul(scale).subi(second);
    }

    /** Σ_{|j−c| ≤ half} a_j along {@code axis} (a window clipped at the ends), as DL4J's LRN sums the squares. */
    static INDArray windowSum(INDArray a, int axis, int half) {
        INDArray sum = a.dup();
        long channels = a.size(axis);
        for (int i = 1; i <= half && i < channels; i++) {
            sum.get(at(axis, 0, channels - i)).addi(a.get(at(axis, i, channels)));
            sum.get(at(axis, i, channels)).addi(a.get(at(axis, 0, channels - i)));
        }
        return sum;
    }

    private static INDArrayIndex[] at(int axis, long from, long to) {
        INDArrayIndex[] idx = {NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()};
        idx[axis] = NDArrayIndex.interval(from, to);
        return idx;
    }
}
