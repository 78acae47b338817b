package io.github.widenet.layers;

import io.github.widenet.layers.runtime.NonFiniteCheck;
import io.github.widenet.layers.runtime.NonFiniteException;
import io.github.widenet.lazy.LazyWrapper;
import io.github.widenet.linearized.LinearizedWrapper;
import io.github.widenet.linearized.TestNets;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** NaN or ±Inf in inputs, parameters or outputs stop the project's layers and wrappers with a message naming them. */
class NonFiniteCheckTest {

    @AfterEach
    void restore() {
        NonFiniteCheck.setEnabled(true);
    }

    private static MultiLayerNetwork meanField(double lr) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).updater(new Sgd(lr))
                .list()
                .layer(MeanFieldLayer.builder().nIn(4).units(20).nOut(3).activation(Activation.RELU).name("mf").build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build())
                .build());
        net.init();
        return net;
    }

    private static INDArray withNaN(INDArray x) {
        INDArray y = x.dup();
        y.putScalar(y.length() / 2, Double.NaN);
        return y;
    }

    private static void assertMessage(Throwable e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' missing in: " + e.getMessage());
        }
    }

    @Test
    void nanInTheInputMinibatchIsNamed() {
        MultiLayerNetwork net = meanField(0.1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 5, 4);
        net.fit(new DataSet(x, Nd4j.rand(DataType.FLOAT, 5, 3)));
        NonFiniteException e = assertThrows(NonFiniteException.class,
                () -> net.fit(new DataSet(withNaN(x), Nd4j.rand(DataType.FLOAT, 5, 3))));
        assertMessage(e, "MeanFieldLayer 'mf'", "input minibatch", "iteration 1", "1 NaN", NonFiniteCheck.PROPERTY);
    }

    @Test
    void aNonFiniteParameterIsNamed() {
        MultiLayerNetwork net = meanField(0.1);
        net.getLayer(0).getParam("C").putScalar(3, Double.POSITIVE_INFINITY);
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> net.output(Nd4j.rand(DataType.FLOAT, 5, 4)));
        assertMessage(e, "MeanFieldLayer 'mf'", "parameter 'C'", "1 infinite");
    }

    @Test
    void divergingTrainingStopsInsteadOfProducingNaN() {
        MultiLayerNetwork net = meanField(1e20);
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 4).muli(10);
        DataSet d = new DataSet(x, Nd4j.rand(DataType.FLOAT, 8, 3).muli(100));
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> {
            for (int i = 0; i < 50; i++) {
                net.fit(d);
            }
        });
        assertMessage(e, "MeanFieldLayer 'mf'", "lower the learning rate");
    }

    @Test
    void ntkLayersAndBothWrappersCheckTooAndTheCheckCanBeTurnedOff() {
        MultiLayerNetwork ntk = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(2).list()
                .layer(new NtkConvolutionLayer.Builder(2, 2).nOut(2).name("conv").build())
                .layer(new NtkDenseLayer.Builder().nOut(3).name("dense").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY)
                        .build())
                .setInputType(InputType.convolutional(4, 4, 1))
                .build());
        ntk.init();
        INDArray image = Nd4j.rand(DataType.FLOAT, 3, 1, 4, 4);
        assertMessage(assertThrows(NonFiniteException.class, () -> ntk.output(withNaN(image))),
                "NtkConvolutionLayer 'conv'", "input minibatch");
        ntk.getLayer(1).getParam("W").putScalar(0, Double.NaN);
        assertMessage(assertThrows(NonFiniteException.class, () -> ntk.output(image)),
                "NtkDenseLayer 'dense'", "parameter 'W'");

        INDArray x = TestNets.input(1, 4, 5).castTo(DataType.DOUBLE);
        MultiLayerNetwork lazy = LazyWrapper.wrap(TestNets.dense(), 10);
        MultiLayerNetwork lin = LinearizedWrapper.wrap(TestNets.dense());
        assertMessage(assertThrows(NonFiniteException.class, () -> lazy.output(withNaN(x))), "LazyLayer", "input");
        assertMessage(assertThrows(NonFiniteException.class, () -> lin.output(withNaN(x))), "LinearizedLayer", "input");
        LinearizedWrapper.linearizedLayer(lin).trainable().putScalar(0, Double.NaN);
        assertMessage(assertThrows(NonFiniteException.class, () -> lin.output(x)), "LinearizedLayer", "parameter 'w.0.W'");

        NonFiniteCheck.setEnabled(false);
        INDArray out = assertDoesNotThrow(() -> lin.output(x));
        assertTrue(Double.isNaN(out.sumNumber().doubleValue()), "without the check DL4J propagates NaN");
    }
}
