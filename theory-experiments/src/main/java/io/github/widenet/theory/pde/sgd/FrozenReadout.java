package io.github.widenet.theory.pde.sgd;

import io.github.widenet.layers.WidthScaledLayer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keeps the output weights C and hidden biases b of a {@link io.github.widenet.layers.MeanFieldLayer} at their initial
 * values (C = 1, b = 0 here) while W trains: DL4J calls {@link #onGradientCalculation} after backprop and before the
 * updater, and this listener zeroes the gradients of C and b there, so plain SGD changes them by exactly 0·lr = 0.
 * (DL4J's NoOp updater would not freeze them: it applies the raw gradient.)
 */
public final class FrozenReadout extends BaseTrainingListener {

    private final int layerIndex;

    public FrozenReadout(int layerIndex) {
        this.layerIndex = layerIndex;
    }

    @Override
    public void onGradientCalculation(Model model) {
        Gradient g = model.gradient();
        for (String key : new String[]{WidthScaledLayer.OUTPUT_WEIGHT_KEY, WidthScaledLayer.BIAS_KEY}) {
            INDArray grad = g.getGradientFor(layerIndex + "_" + key);
            if (grad == null) {
                throw new IllegalStateException("no gradient for " + layerIndex + "_" + key + "; keys: "
                        + g.gradientForVariable().keySet());
            }
            grad.assign(0);
        }
    }
}
