package io.github.widenet.meanfield;

import io.github.widenet.layers.MeanFieldLayer;
import io.github.widenet.layers.NtkLayer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The units-as-particles accessor, the default i.i.d. initialisation, and setParam/setParams taking effect. */
class UnitParametersTest {

    private static MultiLayerNetwork net(int d, int m, int k, long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed)
                .dataType(DataType.DOUBLE).list()
                .layer(MeanFieldLayer.builder().nIn(d).units(m).nOut(k).activation(Activation.RELU).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    @Test
    void rowsAreUnitsWithInputWeightsBiasAndOutputWeights() {
        MultiLayerNetwork net = net(4, 6, 3, 1);
        Layer layer = net.getLayer(0);
        layer.getParam("b").assign(Nd4j.arange(1, 7).castTo(DataType.DOUBLE).reshape(1, 6));
        INDArray units = UnitParameters.of(net, 0);
        assertArrayEquals(new long[]{6, 4 + 1 + 3}, units.shape());
        INDArray w = layer.getParam("W");
        INDArray c = layer.getParam("C");
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(w.getDouble(j, i), units.getDouble(i, j));
            }
            assertEquals(i + 1.0, units.getDouble(i, 4));
            for (int o = 0; o < 3; o++) {
                assertEquals(c.getDouble(i, o), units.getDouble(i, 5 + o));
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UnitParameters.of(net, 1));
        assertEquals(true, e.getMessage().contains("LossLayer"), e.getMessage());
    }

    @Test
    void defaultInitialisationIsIidAndWidthIndependent() {
        int d = 50;
        for (int m : new int[]{2_000, 20_000}) {
            INDArray units = UnitParameters.of(net(d, m, 2, 7), 0);
            INDArray w = units.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(0, d));
            INDArray c = units.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(d + 1, d + 3));
            assertEquals(1 / Math.sqrt(d), w.stdNumber().doubleValue(), 0.02 / Math.sqrt(d));
            assertEquals(0.0, w.meanNumber().doubleValue(), 0.01);
            assertEquals(1.0, c.stdNumber().doubleValue(), 0.05);
            assertEquals(0.0, units.getColumn(d).amaxNumber().doubleValue(), 0.0, "biases start at zero");
        }
        assertEquals(net(5, 10, 2, 3).params(), net(5, 10, 2, 3).params(), "same seed, same init");
        assertNotEquals(net(5, 10, 2, 3).params(), net(5, 10, 2, 4).params());
    }

    @Test
    void setParamAndSetParamsTakeEffect() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(2)
                .dataType(DataType.DOUBLE).list()
                .layer(NtkLayer.builder().nIn(3).units(4).nOut(2).activation(Activation.IDENTITY).build())
                .layer(new DenseLayer.Builder().nOut(2).activation(Activation.IDENTITY).build())
                .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.feedForward(3))
                .build());
        net.init();
        INDArray x = Nd4j.randn(DataType.DOUBLE, 2, 3);
        INDArray newC = Nd4j.ones(DataType.DOUBLE, 4, 2);
        net.getLayer(0).setParam("C", newC);
        assertEquals(newC, net.getLayer(0).getParam("C"));
        assertEquals(newC, net.getParam("0_C"));
        net.setParam("0_W", Nd4j.zeros(DataType.DOUBLE, 3, 4));
        net.setParam("0_b", Nd4j.ones(DataType.DOUBLE, 1, 4));
        // hidden = identity(0·x + 1) = 1, block output = (1/√4)·Σ_i 1·1 = 2 for every output
        INDArray hidden = net.feedForwardToLayer(0, x).get(1);
        assertEquals(Nd4j.valueArrayOf(new long[]{2, 2}, 2.0, DataType.DOUBLE), hidden);

        INDArray all = Nd4j.arange(1, net.numParams() + 1).castTo(DataType.DOUBLE);
        net.setParams(all);
        assertEquals(all, net.params().reshape(net.numParams()));
        assertEquals(1.0, net.getLayer(0).getParam("W").getDouble(0, 0), "W is first in the block's flat layout");
    }
}
