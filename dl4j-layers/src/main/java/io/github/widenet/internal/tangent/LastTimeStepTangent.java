package io.github.widenet.internal.tangent;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.GravesLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;
import java.util.Set;

/**
 * DL4J's LastTimeStep around a recurrent layer, h = h_{T−1} of the wrapped layer's output sequence (no mask):
 * ḣ = ḣ_{T−1}, the last step of the wrapped layer's tangent recurrence ({@link SimpleRnnTangent},
 * {@link LstmTangent}, GravesLSTM included, {@link BidirectionalTangent}).
 */
final class LastTimeStepTangent implements TangentRule {

    static final TangentRuleRegistration REGISTRATION = new TangentRuleRegistration(
            "LastTimeStep (of SimpleRnn, LSTM, GravesLSTM, Bidirectional)", Set.of(LastTimeStep.class),
            LastTimeStepTangent::new, (layer, where) -> {
                org.deeplearning4j.nn.conf.layers.Layer inner = ((LastTimeStep) layer).getUnderlying();
                if (inner.getClass() != SimpleRnn.class && inner.getClass() != LSTM.class
                        && inner.getClass() != GravesLSTM.class && inner.getClass() != Bidirectional.class) {
                    throw new UnsupportedLayerException(where + " wraps " + inner.getClass().getSimpleName()
                            + ", which has no tangent rule here (supported: LastTimeStep of SimpleRnn, LSTM, "
                            + "GravesLSTM or Bidirectional)");
                }
                TangentRules.checkLayer(inner, where + ", wrapped layer");
            });

    private RecurrentTangent rule;

    @Override
    public INDArray pushForward(Layer layer, INDArray x0, INDArray h0, INDArray xDot, Map<String, INDArray> delta) {
        Layer inside = ((BaseWrapperLayer) layer).getUnderlying();
        RecurrentTangent.requireNoMask(layer, inside);
        if (rule == null) {
            rule = (RecurrentTangent) TangentRules.forLayer(inside.conf().getLayer(), "layer wrapped by LastTimeStep");
        }
        INDArray seq = rule.ncwTangent(inside, x0, xDot, delta);
        return RecurrentTangent.step(seq, seq.size(2) - 1).castTo(h0.dataType());
    }
}
