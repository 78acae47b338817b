package io.github.widenet.lazy;

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

import static org.junit.jupiter.api.Assertions.assertEquals;

class LazySmokeTest {
    @Test
    void smoke() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).updater(new Sgd(0.1)).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(8).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(3).activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        MultiLayerNetwork lazy = LazyWrapper.wrap(net, 10);
        INDArray x = Nd4j.rand(5, 4);
        System.out.println(lazy.output(x));
        DataSet d = new DataSet(x, Nd4j.eye(3).getRows(0, 1, 2, 0, 1));
        for (int i = 0; i < 5; i++) {
            lazy.fit(d);
            System.out.println(lazy.score());
        }
        System.out.println(lazy.output(x));
        assertEquals(1, 1);
    }
}
