package io.github.widenet.layers;

import io.github.widenet.lazy.LazyWrapper;
import io.github.widenet.testing.DoublePrecision;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code inputGradient(false)} on the first layer skips ∂L/∂x and changes nothing else: the same parameter gradients and
 * the same training trajectory, bit for bit; refused where the layers below need the input gradient.
 */
@ExtendWith(DoublePrecision.class)
class InputGradientTest {

    private static MultiLayerConfiguration conf(boolean inputGradient) {
        return conf(inputGradient, 0.3);
    }

    private static MultiLayerConfiguration conf(boolean inputGradient, double lr) {
        return new NeuralNetConfiguration.Builder().seed(4).dataType(DataType.DOUBLE).updater(new Sgd(lr)).list()
                .layer(MeanFieldLayer.builder().nIn(6).units(40).nOut(3).activation(Activation.TANH).biasStd(0.3)
                        .inputGradient(inputGradient).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build())
                .build();
    }

    private static MultiLayerNetwork net(boolean inputGradient) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf(inputGradient));
        net.init();
        return net;
    }

    private static DataSet data(long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 10, 6);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 10, 3);
        for (int i = 0; i < 10; i++) {
            y.putScalar(i, i % 3, 1.0);
        }
        return new DataSet(x, y);
    }

    @Test
    void trainingIsBitIdenticalWithoutTheInputGradient() {
        MultiLayerNetwork with = net(true);
        MultiLayerNetwork without = net(false);
        assertEquals(with.params(), without.params());
        for (int i = 0; i < 6; i++) {
            DataSet d = data(i);
            with.fit(d);
            without.fit(d);
            assertEquals(with.params(), without.params(), "step " + i);
        }
        DataSet d = data(9);
        without.setInput(d.getFeatures());
        without.feedForward(true, false);
        assertNull(without.getLayer(0).backpropGradient(Nd4j.ones(DataType.DOUBLE, 10, 3),
                LayerWorkspaceMgr.noWorkspaces()).getSecond());
        with.setInput(d.getFeatures());
        with.feedForward(true, false);
        assertNotNull(with.getLayer(0).backpropGradient(Nd4j.ones(DataType.DOUBLE, 10, 3),
                LayerWorkspaceMgr.noWorkspaces()).getSecond());
    }

    @Test
    void gradientCheckJsonAndWrappingStillWork() {
        MultiLayerNetwork net = new MultiLayerNetwork(conf(false, 1.0));   // gradient checks want plain Sgd(1)
        net.init();
        DataSet d = data(3);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(d.getFeatures())
                .labels(d.getLabels()).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)));
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf(false).toJson());
        assertEquals(conf(false), back);
        assertTrue(!((WidthScaledLayer) back.getConf(0).getLayer()).isInputGradient());
        MultiLayerNetwork lazy = LazyWrapper.wrap(net, 10);
        lazy.fit(d);
    }

    @Test
    void refusedAnywhereButLayerZero() {
        MultiLayerNetwork bad = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(6).build())
                .layer(MeanFieldLayer.builder().nIn(6).units(8).nOut(2).inputGradient(false).name("mf").build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build())
                .build());
        IllegalStateException e = assertThrows(IllegalStateException.class, bad::init);
        assertTrue(e.getMessage().contains("'mf'") && e.getMessage().contains("inputGradient(false)"), e.getMessage());
    }
}
