package io.github.widenet.lazy;

import io.github.widenet.linearized.LinearizedWrapper;
import io.github.widenet.linearized.RecurrentNets;
import io.github.widenet.testing.DoublePrecision;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.GravesBidirectionalLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lazy wrapper on recurrent and embedding networks (LastTimeStep(SimpleRnn), LSTM → LastTimeStep(LSTM), NWC,
 * embeddings), and on recurrent layers without a tangent rule: output exactly 0 at initialisation, fit runs and lowers
 * the loss, and DL4J's gradient check passes; feature masks are refused.
 */
@ExtendWith(DoublePrecision.class)
class RecurrentLazyWrapperTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.widenet.linearized.RecurrentNets#names")
    void outputIsZeroAtInitialisationAndFitTrains(String which) {
        MultiLayerNetwork lazy = LazyWrapper.wrap(RecurrentNets.byName(which, 0.1), 10);
        INDArray x = RecurrentNets.input(which, 1, 6);
        assertEquals(0.0, lazy.output(x).amaxNumber().doubleValue(), 0.0);
        Nd4j.getRandom().setSeed(2);
        DataSet d = new DataSet(x, Nd4j.randn(DataType.DOUBLE, 6, 2));
        lazy.fit(d);
        double first = lazy.score();
        for (int i = 0; i < 10; i++) {
            lazy.fit(d);
        }
        assertTrue(lazy.score() < first, which + ": loss " + first + " -> " + lazy.score());
        assertTrue(lazy.output(x).amaxNumber().doubleValue() > 0, "the model moved");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.widenet.linearized.RecurrentNets#names")
    void gradientCheckPasses(String which) {
        MultiLayerNetwork lazy = LazyWrapper.wrap(RecurrentNets.byName(which, 1.0), 3.0);
        LazyLayerRuntime l = LazyWrapper.lazyLayer(lazy);
        Nd4j.getRandom().setSeed(6);
        l.trainable().addi(Nd4j.randn(DataType.DOUBLE, l.trainable().length()).muli(0.05));
        INDArray x = RecurrentNets.input(which, 7, 3);
        INDArray labels = Nd4j.rand(DataType.DOUBLE, 3, 2);
        Set<String> frozen = new HashSet<>();
        for (String k : l.paramTable().keySet()) {
            if (k.startsWith("w0.")) {
                frozen.add("0_" + k);
            }
        }
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(lazy).input(x)
                .labels(labels).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9).excludeParams(frozen)), which);
    }

    /** A feature mask (variable-length sequences) is refused by both wrappers instead of being silently ignored. */
    @Test
    void featureMasksAreRefused() {
        MultiLayerNetwork lazy = LazyWrapper.wrap(RecurrentNets.lstmClassifier(0.1), 10);
        INDArray x = RecurrentNets.sequences(3, 2, false);
        INDArray mask = Nd4j.ones(DataType.DOUBLE, 2, RecurrentNets.T);
        mask.putScalar(1, RecurrentNets.T - 1, 0);
        DataSet d = new DataSet(x, Nd4j.zeros(DataType.DOUBLE, 2, 2), mask, null);
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> lazy.fit(d));
        assertTrue(e.getMessage().contains("LazyLayer 'lazy'") && e.getMessage().contains("feature mask"),
                e.getMessage());
        MultiLayerNetwork lin = LinearizedWrapper.wrap(RecurrentNets.lstmClassifier(0.1));
        e = assertThrows(UnsupportedOperationException.class, () -> lin.fit(d));
        assertTrue(e.getMessage().contains("LinearizedLayer") && e.getMessage().contains("feature mask"), e.getMessage());
    }

    /** Recurrent layers without a tangent rule (GravesBidirectionalLSTM) train lazily too. */
    @Test
    void otherRecurrentLayersTrainLazily() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(46)
                .dataType(DataType.DOUBLE).updater(new Sgd(0.1)).list()
                .layer(new GravesBidirectionalLSTM.Builder().nIn(3).nOut(3).build())
                .layer(new LastTimeStep(new Bidirectional(new LSTM.Builder().nIn(3).nOut(2).build())))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .build());
        net.init();
        MultiLayerNetwork lazy = LazyWrapper.wrap(net, 10);
        INDArray x = RecurrentNets.sequences(4, 5, false);
        assertEquals(0.0, lazy.output(x).amaxNumber().doubleValue(), 0.0);
        Nd4j.getRandom().setSeed(5);
        DataSet d = new DataSet(x, Nd4j.randn(DataType.DOUBLE, 5, 2));
        lazy.fit(d);
        double first = lazy.score();
        for (int i = 0; i < 5; i++) {
            lazy.fit(d);
        }
        assertTrue(lazy.score() < first, "loss " + first + " -> " + lazy.score());
    }
}
