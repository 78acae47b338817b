package io.github.widenet.internal.tangent;

import org.deeplearning4j.nn.conf.layers.GravesLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.params.BidirectionalParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * DL4J's Bidirectional wrapper of SimpleRnn, LSTM or GravesLSTM: a forward layer F on x and a backward layer B on x
 * reversed in time, y = F(x) ∘ rev(B(rev x)) with ∘ the mode — CONCAT (along channels), ADD, AVERAGE, MUL. Each
 * direction's tangent is its own rule's ({@link SimpleRnnTangent}, {@link LstmTangent}) with its parameters ("f…" and
 * "b…" keys), and ẏ = [ḟ; ḃ] (CONCAT), ḟ + ḃ (ADD), (ḟ + ḃ)/2 (AVERAGE), ḟ⊙b + f⊙ḃ (MUL).
 */
final class BidirectionalTangent extends RecurrentTangent {

    static final TangentRuleRegistration REGISTRATION = new TangentRuleRegistration(
            "Bidirectional (of SimpleRnn, LSTM, GravesLSTM; CONCAT, ADD, AVERAGE, MUL)", Set.of(Bidirectional.class),
            BidirectionalTangent::new, (layer, where) -> {
                org.deeplearning4j.nn.conf.layers.Layer inner = ((Bidirectional) layer).getFwd();
                if (inner.getClass() != SimpleRnn.class && inner.getClass() != LSTM.class
                        && inner.getClass() != GravesLSTM.class) {
                    throw new UnsupportedLayerException(where + " wraps " + inner.getClass().getSimpleName()
                            + ", which has no tangent rule here (supported: Bidirectional of SimpleRnn, LSTM or "
                            + "GravesLSTM)");
                }
                TangentRules.checkLayer(inner, where + ", wrapped layer");
            });

    private RecurrentTangent fwdRule;
    private RecurrentTangent bwdRule;

    @Override
    INDArray[] sequence(org.deeplearning4j.nn.conf.layers.Layer conf, Map<String, INDArray> params, INDArray x,
                        INDArray xDot, Map<String, INDArray> delta) {
        Bidirectional b = (Bidirectional) conf;
        if (fwdRule == null) {
            fwdRule = (RecurrentTangent) TangentRules.forLayer(b.getFwd(), "layer wrapped by Bidirectional");
            bwdRule = (RecurrentTangent) TangentRules.forLayer(b.getBwd(), "layer wrapped by Bidirectional");
        }
        String f = BidirectionalParamInitializer.FORWARD_PREFIX;
        String r = BidirectionalParamInitializer.BACKWARD_PREFIX;
        INDArray[] fwd = fwdRule.sequence(b.getFwd(), direction(params, f), x, xDot, direction(delta, f));
        INDArray[] bwd = bwdRule.sequence(b.getBwd(), direction(params, r), reverse(x),
                xDot == null ? null : reverse(xDot), direction(delta, r));
        INDArray h1 = reverse(bwd[0]);
        INDArray h1Dot = reverse(bwd[1]);
        switch (b.getMode()) {
            case CONCAT:
                return new INDArray[]{Nd4j.concat(1, fwd[0], h1), Nd4j.concat(1, fwd[1], h1Dot)};
            case ADD:
                return new INDArray[]{fwd[0].add(h1), fwd[1].add(h1Dot)};
            case AVERAGE:
                return new INDArray[]{fwd[0].add(h1).muli(0.5), fwd[1].add(h1Dot).muli(0.5)};
            case MUL:
                return new INDArray[]{fwd[0].mul(h1), fwd[1].mul(h1).addi(fwd[0].mul(h1Dot))};
            default:
                throw new UnsupportedLayerException("Bidirectional mode " + b.getMode() + " has no tangent rule");
        }
    }

    /** The entries of one direction, keys without the direction's prefix ("fW" → "W"). */
    private static Map<String, INDArray> direction(Map<String, INDArray> all, String prefix) {
        Map<String, INDArray> out = new HashMap<>();
        for (Map.Entry<String, INDArray> e : all.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                out.put(e.getKey().substring(prefix.length()), e.getValue());
            }
        }
        return out;
    }
}
