package io.github.widenet.diagnostics;

import io.github.widenet.lazy.LazyWrapper;
import io.github.widenet.linearized.LinearizedWrapper;
import io.github.widenet.linearized.TestNets;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import io.github.widenet.layers.MeanFieldLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Relative parameter change and ReLU sign stability, one-shot and as a listener, for plain and wrapped networks. */
class LazinessDiagnosticsTest {

    private static MultiLayerNetwork reluNet(double lr) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .dataType(DataType.DOUBLE).updater(new Sgd(lr)).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(16).activation(Activation.RELU).build())
                .layer(MeanFieldLayer.builder().units(20).nOut(5).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY)
                        .build())
                .setInputType(InputType.feedForward(4))
                .build());
        net.init();
        return net;
    }

    @Test
    void relativeChangeIsZeroAtInitAndMatchesAHandComputation() {
        MultiLayerNetwork net = reluNet(0.1);
        UnderlyingNetwork u = UnderlyingNetwork.of(net).snapshotInitial();
        ParameterChange c0 = ParameterChange.of(u);
        assertEquals(0.0, c0.total(), 0.0);
        assertEquals(3, c0.perLayer().size());
        INDArray w0 = net.params().dup();
        INDArray x = TestNets.input(1, 10, 4);
        net.fit(new DataSet(x, Nd4j.rand(DataType.DOUBLE, 10, 2)));
        INDArray w = net.params();
        double expected = w.sub(w0).norm2Number().doubleValue() / w0.norm2Number().doubleValue();
        assertEquals(expected, ParameterChange.of(u).total(), 1e-12);
        INDArray b0 = w0.reshape(w0.length());
        // layer "0" holds the first 4*16 + 16 parameters
        INDArray d0 = w.reshape(w.length()).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 80))
                .sub(b0.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 80)));
        assertEquals(d0.norm2Number().doubleValue()
                        / b0.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 80)).norm2Number().doubleValue(),
                ParameterChange.of(u).perLayer().get("0"), 1e-12);
    }

    @Test
    void signStabilityStartsAtOneAndDropsAfterLargeSteps() {
        MultiLayerNetwork net = reluNet(0.3);
        INDArray probe = TestNets.input(2, 32, 4);
        LazinessListener listener = new LazinessListener(net, probe, 1);
        LazinessListener.Record at0 = listener.measure(0, 0);
        assertEquals(1.0, at0.overallReluStability(), 0.0);
        at0.reluStability().values().forEach(v -> assertEquals(1.0, v, 0.0));
        assertEquals(java.util.Set.of("0", "1"), at0.reluStability().keySet(), "dense relu and mean-field relu block");
        net.setListeners(listener);
        DataSet d = new DataSet(TestNets.input(3, 32, 4), Nd4j.rand(DataType.DOUBLE, 32, 2).muli(3));
        for (int i = 0; i < 20; i++) {
            net.fit(d);
        }
        assertEquals(21, listener.history().size());
        LazinessListener.Record last = listener.last();
        assertTrue(last.overallReluStability() < 1.0, "some ReLU signs flip: " + last.reluStability());
        assertTrue(last.change().total() > 0, "change " + last.change());
        // "never changed" can only decrease over time
        for (int i = 1; i < listener.history().size(); i++) {
            assertTrue(listener.history().get(i).overallReluStability()
                    <= listener.history().get(i - 1).overallReluStability() + 1e-15);
        }
    }

    @Test
    void lazyTrainingIsLazierForLargerAlpha() {
        INDArray x = TestNets.input(4, 32, 4);
        DataSet d = new DataSet(x, Nd4j.rand(DataType.DOUBLE, 32, 2));
        double[] change = new double[2];
        double[] stable = new double[2];
        double[] alphas = {1, 100};
        for (int a = 0; a < 2; a++) {
            MultiLayerNetwork lazy = LazyWrapper.wrap(reluNet(0.5), alphas[a]);
            LazinessListener l = new LazinessListener(lazy, x, 5);
            lazy.setListeners(l);
            for (int i = 0; i < 30; i++) {
                lazy.fit(d);
            }
            change[a] = l.last().change().total();
            stable[a] = l.last().overallReluStability();
        }
        assertTrue(change[1] < change[0] / 20, "relative change alpha=1 " + change[0] + " vs alpha=100 " + change[1]);
        assertTrue(stable[1] >= stable[0], "sign stability " + stable[0] + " vs " + stable[1]);

        MultiLayerNetwork lin = LinearizedWrapper.wrap(reluNet(0.5));
        LazinessListener l = new LazinessListener(lin, x, 1);
        Map<String, Double> init = l.measure(0, 0).reluStability();
        init.values().forEach(v -> assertEquals(1.0, v, 0.0));
    }

    @Test
    void oneShotMeasurementsForWrappedAndPlainNetworks() {
        INDArray probe = TestNets.input(5, 16, 4);
        DataSet d = new DataSet(TestNets.input(6, 16, 4), Nd4j.rand(DataType.DOUBLE, 16, 2).muli(3));

        MultiLayerNetwork lazy = LazyWrapper.wrap(reluNet(0.5), 1);
        LazinessListener.Record at0 = Laziness.measure(lazy, probe);
        assertEquals(0.0, at0.change().total(), 0.0);
        assertEquals(1.0, at0.overallReluStability(), 0.0);
        for (int i = 0; i < 10; i++) {
            lazy.fit(d);
        }
        LazinessListener.Record after = Laziness.measure(lazy, probe);
        var l = LazyWrapper.lazyLayer(lazy);
        double expected = l.trainable().sub(l.initial()).norm2Number().doubleValue()
                / l.initial().norm2Number().doubleValue();
        assertEquals(expected, after.change().total(), 1e-12);
        assertTrue(after.overallReluStability() < 1.0, "signs flip after large steps: " + after.reluStability());
        assertEquals(10, after.iteration());

        MultiLayerNetwork plain = reluNet(0.5);
        INDArray w0 = plain.params().dup();
        for (int i = 0; i < 10; i++) {
            plain.fit(d);
        }
        LazinessListener.Record p = Laziness.measure(plain, w0, probe);
        assertEquals(plain.params().sub(w0).norm2Number().doubleValue() / w0.norm2Number().doubleValue(),
                p.change().total(), 1e-12);
        assertTrue(p.overallReluStability() < 1.0);
        assertEquals(1.0, Laziness.measure(plain, plain.params(), probe).overallReluStability(), 0.0);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Laziness.measure(plain, probe));
    }

    @Test
    void listenerTracksParameterChangeOfNetworksWithoutRelu() {
        MultiLayerNetwork tanh = TestNets.dense(new Sgd(0.1));
        LazinessListener l = new LazinessListener(tanh, TestNets.input(7, 4, 5), 1);
        tanh.setListeners(l);
        tanh.fit(new DataSet(TestNets.input(8, 4, 5), Nd4j.rand(DataType.DOUBLE, 4, 3)));
        assertEquals(1, l.history().size());
        assertTrue(l.last().change().total() > 0);
        assertTrue(l.last().reluStability().isEmpty());
        assertTrue(Double.isNaN(l.last().overallReluStability()));
    }
}
