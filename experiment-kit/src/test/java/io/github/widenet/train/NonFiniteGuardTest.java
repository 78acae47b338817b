package io.github.widenet.train;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NonFiniteGuardTest {

    private static MultiLayerNetwork net() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).updater(new Sgd(0.1))
                .list()
                .layer(new DenseLayer.Builder().name("hidden").nIn(4).nOut(5).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).name("out").nOut(2)
                        .activation(Activation.IDENTITY).build())
                .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.feedForward(4))
                .build());
        net.init();
        return net;
    }

    private static final DataSet DATA = new DataSet(Nd4j.rand(6, 4), Nd4j.rand(6, 2));

    @Test
    void healthyTrainingPasses() {
        MultiLayerNetwork net = net();
        net.setListeners(new NonFiniteGuard("unit", "advice"));
        assertDoesNotThrow(() -> {
            for (int i = 0; i < 5; i++) {
                net.fit(DATA);
            }
        });
    }

    @Test
    void aNanParameterIsNamedWithLayerKeyAndIteration() {
        MultiLayerNetwork net = net();
        net.setListeners(new NonFiniteGuard("mean-field-m20", "lower --eta"));
        net.fit(DATA);
        net.getLayer(1).getParam("W").putScalar(0, 1, Double.NaN);
        TrainingStoppedException e = assertThrows(TrainingStoppedException.class, () -> net.fit(DATA));
        String msg = e.getMessage();
        assertTrue(msg.contains("mean-field-m20") && msg.contains("layer 1 (out) 'W' (NaN)") && msg.contains("iteration 1") && msg.contains("lower --eta"), msg);
    }

    @Test
    void aParameterBudgetSpreadsTheScanAndSaysSo() {
        MultiLayerNetwork net = net();
        long p = net.numParams();
        NonFiniteGuard g = new NonFiniteGuard("wide", "lower --eta").parameterBudget((p + 2) / 3);
        assertEquals(3, g.checkInterval(p));
        assertEquals(1, new NonFiniteGuard("narrow", "x").checkInterval(p));
        net.setScore(0.5);
        g.iterationDone(net, 0, 0);
        g.iterationDone(net, 1, 0);
        g.iterationDone(net, 2, 0);                                   // the scan: clean
        net.getLayer(1).getParam("W").putScalar(0, 1, Double.NaN);
        g.iterationDone(net, 3, 0);                                   // finite score, no scan due
        g.iterationDone(net, 4, 0);
        String msg = assertThrows(TrainingStoppedException.class, () -> g.iterationDone(net, 5, 0)).getMessage();
        assertTrue(msg.contains("after iteration 5") && msg.contains("checked every 3 iterations")
                && msg.contains("last clean check after iteration 2") && msg.contains("'W' (NaN)"), msg);
        net.setScore(Double.NaN);                                     // a non-finite score scans at once
        String now = assertThrows(TrainingStoppedException.class, () -> g.iterationDone(net, 6, 0)).getMessage();
        assertTrue(now.contains("after iteration 6"), now);
        assertThrows(IllegalArgumentException.class, () -> g.parameterBudget(0));
    }

    @Test
    void aNanInputIsNamedWithItsBatch() {
        NonFiniteGuard g = new NonFiniteGuard("unit", "advice");
        INDArray x = Nd4j.rand(3, 4);
        assertDoesNotThrow(() -> g.checkInput(x, "step 4"));
        x.putScalar(2, 3, Double.POSITIVE_INFINITY);
        String msg = assertThrows(TrainingStoppedException.class, () -> g.checkInput(x, "step 4")).getMessage();
        assertTrue(msg.contains("input of step 4") && msg.contains("infinite"), msg);
        assertNull(NonFiniteGuard.kind(Nd4j.create(new float[]{3e38f, 3e38f})), "huge but finite is not NaN");
    }
}
