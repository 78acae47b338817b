package io.github.widenet.meanfield;

import io.github.widenet.layers.MeanFieldLayer;
import io.github.widenet.lazy.LazyWrapper;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The width m given once: the builder derives the η·m updater, and an updater scaled for another m is refused. */
class WidthGivenOnceTest {

    private static MeanFieldLayer.Builder layer(long m) {
        return MeanFieldLayer.builder().nIn(3).units(m).nOut(2).activation(Activation.RELU);
    }

    @Test
    void meanFieldSgdIsSgdWithStepEtaTimesM() {
        IUpdater u = layer(1000).meanFieldSgd(0.5).build().getIUpdater();
        assertEquals(new Sgd(500.0), u);                                    // the same step as the old form
        assertEquals(1000L, MeanFieldTimeScale.unitsOf(u).getAsLong());
        assertEquals(MeanFieldTimeScale.sgd(0.5, 1000), layer(1000).updater(MeanFieldTimeScale.sgd(0.5, 1000))
                .build().getIUpdater());                                    // the old form still works
    }

    @Test
    void nesterovsKeepsMomentumAndScalesTheStep() {
        IUpdater u = layer(200).meanFieldUpdater(new Nesterovs(0.1, 0.9)).build().getIUpdater();
        Nesterovs n = assertInstanceOf(Nesterovs.class, u);
        assertEquals(20.0, n.getLearningRate(), 1e-12);
        assertEquals(0.9, n.getMomentum(), 0);
        assertEquals(200L, MeanFieldTimeScale.unitsOf(n.clone()).getAsLong());
    }

    @Test
    void aMismatchOrBothFormsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> layer(1000).name("mf").updater(MeanFieldTimeScale.sgd(0.5, 10_000)).build());
        assertEquals("MeanFieldLayer 'mf' has units m = 1000 but its updater was scaled for m = 10000 "
                + "(MeanFieldTimeScale with another width); give m once: .units(m).meanFieldSgd(eta)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> layer(1000).updater(new Sgd(0.1)).meanFieldSgd(0.5).build());
        assertTrue(e.getMessage().contains("not both"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MeanFieldTimeScale.scale(MeanFieldTimeScale.sgd(0.5, 10), 10));
        assertTrue(e.getMessage().contains("already scaled for m = 10"), e.getMessage());
    }

    @Test
    void configurationsRoundTripThroughJsonWithTheWidthKept() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(layer(64).meanFieldUpdater(new Sgd(new ExponentialSchedule(ScheduleType.ITERATION, 0.1, 0.99)))
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(2).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .build();
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        assertEquals(conf, back);
        IUpdater u = ((MeanFieldLayer) back.getConf(0).getLayer()).getIUpdater();
        assertEquals(64L, MeanFieldTimeScale.unitsOf(u).getAsLong());
        assertEquals(0.1 * 64 * Math.pow(0.99, 7), u.getLearningRate(7, 0), 1e-12);
    }

    @Test
    void theLazyWrapperTakesTheScaledUpdaterAsGradientDescent() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .dataType(DataType.DOUBLE).list()
                .layer(layer(16).meanFieldSgd(0.1).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(2).nOut(2)
                        .activation(Activation.IDENTITY).updater(new Sgd(0.1)).build())
                .build());
        net.init();
        MultiLayerNetwork lazy = LazyWrapper.wrap(net, 10);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 3);
        INDArray before = lazy.params().dup();
        lazy.fit(new DataSet(x, Nd4j.rand(DataType.DOUBLE, 4, 2)));
        double moved = lazy.params().sub(before).norm2Number().doubleValue();
        assertTrue(Double.isFinite(moved) && moved > 0, "moved " + moved);
    }
}
