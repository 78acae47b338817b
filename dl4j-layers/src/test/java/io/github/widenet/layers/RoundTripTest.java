package io.github.widenet.layers;

import io.github.widenet.meanfield.MeanFieldTimeScale;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.io.File;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** JSON and ModelSerializer round trips keep configurations equal and outputs bit-identical. */
class RoundTripTest {

    private static MultiLayerConfiguration mixedConf() {
        return new NeuralNetConfiguration.Builder().seed(1).updater(new Sgd(0.05)).list()
                .layer(new NtkConvolutionLayer.Builder(3, 3).sigmaW(1.4).sigmaB(0.2).nOut(4)
                        .activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder().kernelSize(2, 2).stride(2, 2).build())
                .layer(new NtkDenseLayer.Builder().nOut(8).sigmaW(1.3).hasBias(false).activation(Activation.TANH).build())
                .layer(MeanFieldLayer.builder().units(50).nOut(6).inputWeightStd(0.7).biasStd(0.1)
                        .outputWeightStd(2.0).activation(Activation.SIGMOID)
                        .updater(MeanFieldTimeScale.scale(new Nesterovs(0.01, 0.9), 50)).build())
                .layer(WidthScaledLayer.builder().units(30).nOut(5).scaleExponent(0.75).activation(Activation.RELU)
                        .updater(MeanFieldTimeScale.scale(new Sgd(new ExponentialSchedule(ScheduleType.EPOCH, 0.1, 0.9)), 30))
                        .build())
                .layer(NtkLayer.builder().units(20).nOut(3).activation(Activation.TANH).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(10, 10, 2))
                .build();
    }

    @Test
    void jsonRoundTripPreservesEveryField() {
        MultiLayerConfiguration conf = mixedConf();
        String json = conf.toJson();
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(json);
        assertEquals(conf, back);
        assertEquals(json, back.toJson());
        assertInstanceOf(MeanFieldLayer.class, back.getConf(3).getLayer());
        WidthScaledLayer sweep = (WidthScaledLayer) back.getConf(4).getLayer();
        assertEquals(0.75, sweep.getScaleExponent());
        assertEquals(0.7, ((MeanFieldLayer) back.getConf(3).getLayer()).getInputWeightStd());
        assertEquals(1.3, ((NtkDenseLayer) back.getConf(2).getLayer()).getSigmaW());
    }

    @Test
    void modelSerializerRoundTripGivesIdenticalOutputsAndTraining(@TempDir File dir) throws Exception {
        MultiLayerNetwork net = new MultiLayerNetwork(mixedConf());
        net.init();
        INDArray x = Nd4j.rand(4, 2, 10, 10);
        INDArray y = Nd4j.eye(3).getRows(0, 1, 2, 0);
        net.fit(new DataSet(x, y));        // updater state is non-trivial (momentum)

        File file = new File(dir, "net.zip");
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork back = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertEquals(net.params(), back.params());
        assertEquals(net.output(x), back.output(x));
        assertEquals(net.getUpdater().getStateViewArray(), back.getUpdater().getStateViewArray());

        net.fit(new DataSet(x, y));
        back.fit(new DataSet(x, y));
        assertEquals(net.params(), back.params(), "a restored model continues training exactly like the original");
    }

    @Test
    void computationGraphRoundTrip(@TempDir File dir) throws Exception {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(2).updater(new Sgd(0.1))
                .graphBuilder()
                .addInputs("in")
                .addLayer("dense", new DenseLayer.Builder().nIn(6).nOut(5).activation(Activation.TANH).build(), "in")
                .addLayer("mf", MeanFieldLayer.builder().nIn(6).units(40).nOut(5).activation(Activation.RELU).build(), "in")
                .addVertex("sum", new org.deeplearning4j.nn.conf.graph.ElementWiseVertex(
                        org.deeplearning4j.nn.conf.graph.ElementWiseVertex.Op.Add), "dense", "mf")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "sum")
                .setOutputs("out")
                .build();
        assertEquals(conf, ComputationGraphConfiguration.fromJson(conf.toJson()));
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        INDArray x = Nd4j.randn(3, 6);
        graph.fit(new DataSet(x, Nd4j.eye(2).getRows(0, 1, 0)));
        File file = new File(dir, "graph.zip");
        ModelSerializer.writeModel(graph, file, true);
        ComputationGraph back = ModelSerializer.restoreComputationGraph(file, true);
        assertEquals(graph.outputSingle(x), back.outputSingle(x));
    }
}
