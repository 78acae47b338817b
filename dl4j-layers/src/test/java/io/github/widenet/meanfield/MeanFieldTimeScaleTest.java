package io.github.widenet.meanfield;

import io.github.widenet.layers.MeanFieldLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With steps η·m the per-unit parameter change after a fixed number of full-batch SGD steps does not depend on the
 * width m (the mean-field limit); with a fixed step η it shrinks like 1/m.
 */
class MeanFieldTimeScaleTest {

    private static final int D = 5;
    private static final int STEPS = 40;
    private static final double ETA = 0.2;

    private static DataSet task() {
        Nd4j.getRandom().setSeed(99);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 64, D);
        INDArray y = Nd4j.math().sin(x.getColumn(0).mul(2).add(x.getColumn(1))).reshape(64, 1);
        return new DataSet(x, y);
    }

    /** Mean over units of ‖θ_i(T) − θ_i(0)‖ where θ_i = (w_i, b_i, c_i). */
    private static double meanUnitMovement(int m, boolean timeScaled) {
        IUpdater updater = timeScaled ? MeanFieldTimeScale.sgd(ETA, m) : new Sgd(ETA);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1234)
                .dataType(DataType.DOUBLE).list()
                .layer(MeanFieldLayer.builder().nIn(D).units(m).nOut(1).biasStd(0.5).activation(Activation.TANH)
                        .updater(updater).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build())
                .build());
        net.init();
        INDArray before = UnitParameters.of(net, 0);
        DataSet data = task();
        for (int t = 0; t < STEPS; t++) {
            net.fit(data);
        }
        INDArray moved = UnitParameters.of(net, 0).sub(before);
        return moved.norm2(1).meanNumber().doubleValue();
    }

    @Test
    void withTimeScalePerUnitMovementIsIndependentOfWidth() {
        double m300 = meanUnitMovement(300, true);
        double m3000 = meanUnitMovement(3000, true);
        double m30000 = meanUnitMovement(30000, true);
        assertTrue(m300 > 0.05, "units must move O(1), moved " + m300);
        assertEquals(1.0, m3000 / m30000, 0.05, "movement at m=3000 vs 30000: " + m3000 + " vs " + m30000);
        assertEquals(1.0, m300 / m30000, 0.15, "movement at m=300 vs 30000: " + m300 + " vs " + m30000);
    }

    @Test
    void withoutTimeScalePerUnitMovementShrinksLikeOneOverM() {
        double m300 = meanUnitMovement(300, false);
        double m3000 = meanUnitMovement(3000, false);
        double m30000 = meanUnitMovement(30000, false);
        assertEquals(10.0, m300 / m3000, 1.0, "ratio m=300/m=3000: " + m300 / m3000);
        assertEquals(10.0, m3000 / m30000, 1.0, "ratio m=3000/m=30000: " + m3000 / m30000);
    }

    @Test
    void scalesSgdTypeUpdatersAndRejectsAdaptiveOnes() {
        assertEquals(50.0, ((Sgd) MeanFieldTimeScale.scale(new Sgd(0.5), 100)).getLearningRate(), 1e-12);
        Nesterovs n = (Nesterovs) MeanFieldTimeScale.scale(new Nesterovs(0.01, 0.9), 1000);
        assertEquals(10.0, n.getLearningRate(), 1e-12);
        assertEquals(0.9, n.getMomentum(), 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MeanFieldTimeScale.scale(new Adam(1e-3), 100));
        assertTrue(e.getMessage().contains("Adam"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MeanFieldTimeScale.sgd(0.1, 0));
        assertThrows(IllegalArgumentException.class, () -> MeanFieldTimeScale.sgd(-0.1, 10));
    }
}
