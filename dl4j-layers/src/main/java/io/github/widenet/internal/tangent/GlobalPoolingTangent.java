package io.github.widenet.internal.tangent;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.shape.OneHot;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Global pooling over the layer's pooling dimensions (DL4J's: [2] for sequences, [2, 3] for images, unless configured):
 * with the pooled cells of each (example, channel) as a row r, AVG ḣ = mean(ṙ), SUM ḣ = Σ ṙ, MAX ḣ = ṙ at the first
 * argmax of the primal row (as DL4J's backprop), PNORM h = (Σ|r|^p)^(1/p) so ḣ = Σ |r|^(p−1)·sign(r)·ṙ / h^(p−1).
 */
final class GlobalPoolingTangent implements TangentRule {

    static final TangentRuleRegistration REGISTRATION = TangentRuleRegistration.of(
            "GlobalPoolingLayer (AVG, SUM, MAX, PNORM)", GlobalPoolingTangent::new, Set.of(GlobalPoolingLayer.class));

    @Override
    public INDArray pushForward(Layer layer, INDArray x0, INDArray h0, INDArray xDot, Map<String, INDArray> delta) {
        if (xDot == null) {
            return Nd4j.zeros(h0.dataType(), h0.shape());
        }
        GlobalPoolingLayer conf = (GlobalPoolingLayer) layer.conf().getLayer();
        int[] pooled = conf.getPoolingDimensions() != null ? conf.getPoolingDimensions()
                : IntStream.range(2, x0.rank()).toArray();
        INDArray x = rows(x0.castTo(h0.dataType()), pooled);
        INDArray t = rows(xDot.castTo(h0.dataType()), pooled);
        INDArray out;
        switch (conf.getPoolingType()) {
            case AVG:
                out = t.mean(1);
                break;
            case SUM:
                out = t.sum(1);
                break;
            case MAX:
                INDArray argmax = x.argMax(1).castTo(DataType.INT64);
                INDArray oneHot = Nd4j.exec(new OneHot(argmax, null, (int) x.size(1), -1, 1.0, 0.0))[0];
                out = oneHot.castTo(t.dataType()).muli(t).sum(1);
                break;
            case PNORM:
                int p = conf.getPnorm();
                INDArray weights = Transforms.pow(Transforms.abs(x, true), p - 1, false).muli(Transforms.sign(x, true));
                INDArray norm = Transforms.pow(Transforms.pow(Transforms.abs(x, true), p, false).sum(1), 1.0 / p, false);
                out = weights.muli(t).sum(1).divi(Transforms.pow(norm, p - 1, false));
                break;
            default:
                throw new UnsupportedLayerException("global pooling " + conf.getPoolingType() + " has no tangent rule");
        }
        return out.reshape(h0.shape());
    }

    /** The array with its pooled dimensions last, flattened: [cells not pooled, cells pooled]. */
    private static INDArray rows(INDArray a, int[] pooled) {
        Set<Integer> p = java.util.Arrays.stream(pooled).boxed().collect(java.util.stream.Collectors.toSet());
        int[] order = IntStream.concat(IntStream.range(0, a.rank()).filter(d -> !p.contains(d)),
                java.util.Arrays.stream(pooled)).toArray();
        long cells = java.util.Arrays.stream(pooled).mapToLong(a::size).reduce(1, (u, v) -> u * v);
        return a.permute(order).dup('c').reshape('c', a.length() / cells, cells);
    }
}
