package io.github.widenet.internal.wrap;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.Regularization;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The training rule lazy training is a theorem about: (momentum) gradient descent on R(α(h(w) − h(w0)))/α²
 * (Chizat–Oyallon–Bach 2019), whose steps shrink like 1/α so that ‖w − w0‖ = O(1/α). Adaptive updaters (Adam, RMSProp,
 * AdaGrad, …) normalise the gradient per coordinate and take O(η) steps whatever α is, and L1/L2/weight decay pull w
 * toward 0 rather than w0 with a strength the 1/α² does not scale: with either, a wrapped model is no longer lazy (with
 * Adam at α = 1000, ‖w − w0‖/‖w0‖ was 0.12 instead of 2e-4). The linearized model's link to the lazy limit assumes the
 * same rule. So the wrappers accept only {@link Sgd}, {@link Nesterovs} and {@link io.github.widenet.sgd.HeavyBall}
 * (momentum) and {@link NoOp} (plain gradient steps), with learning-rate schedules, and no regularization, unless the caller opts in to training that is not lazy.
 */
public final class GradientDescentOnly {

    private static final Set<Class<? extends IUpdater>> GRADIENT_DESCENT = Set.of(Sgd.class, Nesterovs.class,
            io.github.widenet.sgd.HeavyBall.class, NoOp.class);

    private GradientDescentOnly() {
    }

    /**
     * Throws {@link IllegalArgumentException} naming the first parameter of {@code logits} that has an updater other than
     * plain or momentum gradient descent, or any regularization.
     *
     * @param describe names a vertex of {@code logits} in messages (e.g. "layer 3 'conv2'")
     * @param wrapper  the wrapper's builder, named in the message for the opt-in
     */
    public static void require(ComputationGraphConfiguration logits, Function<String, String> describe, String wrapper) {
        for (Map.Entry<String, GraphVertex> e : logits.getVertices().entrySet()) {
            if (!(e.getValue() instanceof LayerVertex)) {
                continue;
            }
            Layer layer = ((LayerVertex) e.getValue()).getLayerConf().getLayer();
            for (String key : layer.initializer().paramKeys(layer)) {
                String where = describe.apply(e.getKey()) + " (" + layer.getClass().getSimpleName() + "), parameter '"
                        + key + "'";
                IUpdater u = ParamOwner.of(layer).getUpdaterByParam(key);
                if (u != null && GRADIENT_DESCENT.stream().noneMatch(c -> c.isInstance(u))) {
                    throw new IllegalArgumentException(where + " uses the updater " + u.getClass().getSimpleName()
                            + ": lazy training is gradient descent (Sgd, or Nesterovs for momentum) on the loss / α², and "
                            + "an adaptive updater takes steps that do not shrink with α, so the model would not stay "
                            + "near w0. Use Sgd or Nesterovs, or call " + wrapper
                            + ".allowNotLazyTraining(true) to train anyway (not lazy training)");
                }
                List<Regularization> regs = ParamOwner.of(layer).getRegularizationByParam(key);
                if (regs != null && !regs.isEmpty()) {
                    throw new IllegalArgumentException(where + " has regularization "
                            + regs.get(0).getClass().getSimpleName() + ": it pulls w toward 0, not toward w0, and is not "
                            + "divided by α², so training would not be lazy. Remove l1/l2/weightDecay before wrapping, "
                            + "or call " + wrapper + ".allowNotLazyTraining(true) to train anyway (not lazy training)");
                }
            }
        }
    }
}
