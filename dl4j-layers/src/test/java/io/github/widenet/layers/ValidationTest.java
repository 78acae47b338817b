package io.github.widenet.layers;

import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.File;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad configurations, inputs and saved models fail with messages that name the problem. */
class ValidationTest {

    @Test
    void unitsBelowOneIsRejectedAtBuildTime() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MeanFieldLayer.builder().nIn(3).units(0).nOut(2).build());
        assertTrue(e.getMessage().contains("units") && e.getMessage().contains("0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NtkLayer.builder().nIn(3).units(-5).nOut(2).build());
    }

    /** The project's layers compute with their own parameters: weight noise and DropConnect are refused, not ignored. */
    @Test
    void weightNoiseAndDropConnectAreRefusedByEveryProjectLayer() {
        org.deeplearning4j.nn.conf.weightnoise.IWeightNoise[] noises = {
                new org.deeplearning4j.nn.conf.weightnoise.DropConnect(0.5),
                new org.deeplearning4j.nn.conf.weightnoise.WeightNoise(
                        new org.deeplearning4j.nn.conf.distribution.NormalDistribution(0, 0.1))};
        for (org.deeplearning4j.nn.conf.weightnoise.IWeightNoise noise : noises) {
            org.deeplearning4j.nn.conf.layers.Layer[] layers = {
                    new NtkDenseLayer.Builder().nIn(4).nOut(3).weightNoise(noise).name("ntkd").build(),
                    new NtkConvolutionLayer.Builder(2, 2).nIn(1).nOut(3).weightNoise(noise).name("ntkc").build(),
                    MeanFieldLayer.builder().nIn(4).units(5).nOut(3).weightNoise(noise).name("mf").build()};
            for (org.deeplearning4j.nn.conf.layers.Layer layer : layers) {
                var list = new NeuralNetConfiguration.Builder().list().layer(layer);
                if (layer instanceof NtkConvolutionLayer) {
                    list.setInputType(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(4, 4, 1));
                }
                MultiLayerNetwork net = new MultiLayerNetwork(list.build());
                IllegalStateException e = assertThrows(IllegalStateException.class, net::init);
                assertTrue(e.getMessage().contains(layer.getLayerName()) && e.getMessage().contains("noise"),
                        e.getMessage());
            }
        }
    }

    @Test
    void badScalesAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> WidthScaledLayer.builder().nIn(3).units(4).nOut(2).scaleExponent(Double.NaN).build());
        assertThrows(IllegalArgumentException.class,
                () -> WidthScaledLayer.builder().nIn(3).units(4).nOut(2).outputWeightStd(-1).build());
        assertThrows(UnsupportedOperationException.class, () -> MeanFieldLayer.builder().scaleExponent(0.5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NtkDenseLayer.Builder().nIn(2).nOut(2).sigmaW(0).build());
        assertTrue(e.getMessage().contains("sigmaW"), e.getMessage());
    }

    private static MultiLayerNetwork net(String name) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(MeanFieldLayer.builder().name(name).nIn(4).units(10).nOut(3).activation(Activation.TANH).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    @Test
    void inputWidthMismatchAtFitTimeNamesLayerAndSizes() {
        MultiLayerNetwork net = net("hidden");
        DL4JInvalidInputException e = assertThrows(DL4JInvalidInputException.class,
                () -> net.fit(new DataSet(Nd4j.rand(5, 7), Nd4j.eye(3).getRows(0, 1, 2, 0, 1))));
        String msg = e.getMessage();
        assertTrue(msg.contains("'hidden'") && msg.contains("7") && msg.contains("nIn=4"), msg);
        assertThrows(DL4JInvalidInputException.class, () -> net.output(Nd4j.rand(new int[]{2, 4, 1})));
    }

    @Test
    void nanParametersAreRejectedOnRestore(@TempDir File dir) throws Exception {
        MultiLayerNetwork net = net("hidden");
        net.getLayer(0).getParam("C").putScalar(3, 1, Double.NaN);
        File file = new File(dir, "corrupt.zip");
        ModelSerializer.writeModel(net, file, false);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ModelSerializer.restoreMultiLayerNetwork(file));
        String msg = e.getMessage();
        assertTrue(msg.contains("MeanFieldLayer 'hidden'") && msg.contains("\"C\"") && msg.contains("1 NaN"), msg);
    }

    @Test
    void nanParametersInNtkLayersAreRejectedOnRestore(@TempDir File dir) throws Exception {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new NtkDenseLayer.Builder().nIn(3).nOut(2).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MSE).build())
                .build());
        net.init();
        net.getLayer(0).getParam("W").putScalar(0, 0, Double.POSITIVE_INFINITY);
        File file = new File(dir, "inf.zip");
        ModelSerializer.writeModel(net, file, false);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ModelSerializer.restoreMultiLayerNetwork(file));
        assertTrue(e.getMessage().contains("\"W\"") && e.getMessage().contains("1 infinite"), e.getMessage());
    }
}
