package io.github.widenet.sgd;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.InverseSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HeavyBallTest {

    @Test
    void stepsAreLearningRateTimesVelocity() {
        HeavyBall hb = new HeavyBall(new InverseSchedule(ScheduleType.EPOCH, 0.5, 1.0, 1.0), 0.9);
        INDArray state = Nd4j.zeros(DataType.DOUBLE, 1, 2);
        GradientUpdater<?> u = hb.instantiate(state, true);
        INDArray g = Nd4j.createFromArray(1.0, 2.0).reshape(1, 2);
        u.applyUpdater(g, 0, 0);
        assertArrayEquals(new double[]{0.5, 1.0}, g.toDoubleVector(), 1e-15);          // η0 = 0.5, v = g0
        INDArray g1 = Nd4j.createFromArray(3.0, -1.0).reshape(1, 2);
        u.applyUpdater(g1, 1, 1);
        // epoch 1: η = 0.5/(1 + 1·1) = 0.25; v = 0.9·(1, 2) + (3, −1) = (3.9, 0.8)
        assertArrayEquals(new double[]{0.975, 0.2}, g1.toDoubleVector(), 1e-15);
        assertArrayEquals(new double[]{3.9, 0.8}, state.toDoubleVector(), 1e-15);       // the velocity is the state
    }

    @Test
    void trainsANetworkAsHandComputed() {
        // one weight, no bias, loss (w·x − y)² with x = 1, y = 0: g = 2w (MSE over one output, one example)
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .updater(new HeavyBall(0.1, 0.9)).list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(1).nOut(1).hasBias(false)
                        .activation(Activation.IDENTITY).build()).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.params().assign(1.0);
        INDArray x = Nd4j.ones(DataType.DOUBLE, 1, 1);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 1, 1);
        double w = 1;
        double v = 0;
        for (int t = 0; t < 3; t++) {
            net.fit(x, y);
            v = 0.9 * v + 2 * w;
            w -= 0.1 * v;
            assertEquals(w, net.params().getDouble(0), 1e-12, "step " + t);
        }
    }

    @Test
    void survivesJson() {
        HeavyBall hb = new HeavyBall(new InverseSchedule(ScheduleType.EPOCH, 0.05, 0.2, 1.0), 0.9);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().updater(hb).list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(2).nOut(1)
                        .activation(Activation.IDENTITY).build()).build();
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        assertEquals(hb, ((BaseLayer) back.getConf(0).getLayer()).getIUpdater());
    }

    @Test
    void refusesMomentumOutsideTheUnitInterval() {
        assertThrows(IllegalArgumentException.class, () -> new HeavyBall(0.1, 1.0));
    }
}
