package io.github.widenet.layers;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import io.github.widenet.testing.DoublePrecision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Double-precision gradient checks (DL4J's GradientCheckUtil, central differences) for every project layer. */
@ExtendWith(DoublePrecision.class)
class GradientChecksTest {

    private static final double EPS = 1e-6;
    private static final double MAX_REL_ERROR = 1e-5;
    private static final double MIN_ABS_ERROR = 1e-9;


    private static NeuralNetConfiguration.Builder base(long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.DOUBLE).updater(new NoOp());
    }

    private static INDArray oneHot(int n, int k, long seed) {
        INDArray y = Nd4j.zeros(DataType.DOUBLE, n, k);
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, r.nextInt(k), 1.0);
        }
        return y;
    }

    private static boolean check(MultiLayerNetwork net, INDArray x, INDArray y) {
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                .epsilon(EPS).maxRelError(MAX_REL_ERROR).minAbsoluteError(MIN_ABS_ERROR));
    }

    @ParameterizedTest(name = "p={0}, {1}")
    @CsvSource({"1.0, TANH", "1.0, SIGMOID", "1.0, SOFTPLUS", "1.0, RELU", "0.5, TANH", "0.5, ELU", "0.25, CUBE"})
    void widthScaledBlockBeforeSoftmaxCrossEntropy(double p, Activation act) {
        MultiLayerNetwork net = new MultiLayerNetwork(base(42).list()
                .layer(WidthScaledLayer.builder().nIn(5).units(12).nOut(3).scaleExponent(p).biasStd(0.5)
                        .activation(act).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        assertTrue(check(net, Nd4j.randn(DataType.DOUBLE, 6, 5), oneHot(6, 3, 1)));
    }

    @Test
    void blocksStackedWithDl4jLayers() {
        // Dense -> MeanField -> Ntk -> Output(MSE): the input gradient of each block is checked through the others
        MultiLayerNetwork net = new MultiLayerNetwork(base(7).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.TANH).build())
                .layer(MeanFieldLayer.builder().units(9).nOut(5).activation(Activation.SIGMOID).build())
                .layer(NtkLayer.builder().units(8).nOut(4).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY)
                        .build())
                .setInputType(InputType.feedForward(4))
                .build());
        net.init();
        assertTrue(check(net, Nd4j.randn(DataType.DOUBLE, 5, 4), Nd4j.randn(DataType.DOUBLE, 5, 2)));
    }

    @Test
    void meanFieldBlockInComputationGraph() {
        ComputationGraphConfiguration conf = base(9).graphBuilder()
                .addInputs("in")
                .addLayer("block", MeanFieldLayer.builder().nIn(4).units(10).nOut(3).activation(Activation.TANH)
                        .build(), "in")
                .addLayer("out", new LossLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).build(), "block")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(graph)
                .inputs(new INDArray[]{Nd4j.randn(DataType.DOUBLE, 5, 4)})
                .labels(new INDArray[]{oneHot(5, 3, 2)})
                .epsilon(EPS).maxRelError(MAX_REL_ERROR).minAbsoluteError(MIN_ABS_ERROR)));
    }

    @ParameterizedTest(name = "{0}, bias={1}")
    @CsvSource({"TANH, true", "SOFTPLUS, false", "SIGMOID, true"})
    void ntkDense(Activation act, boolean bias) {
        MultiLayerNetwork net = new MultiLayerNetwork(base(5).list()
                .layer(new NtkDenseLayer.Builder().nIn(6).nOut(7).sigmaW(1.5).sigmaB(0.3).hasBias(bias)
                        .activation(act).build())
                .layer(new NtkDenseLayer.Builder().nOut(3).activation(Activation.IDENTITY).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(6))
                .build());
        net.init();
        assertTrue(check(net, Nd4j.randn(DataType.DOUBLE, 4, 6), oneHot(4, 3, 3)));
    }

    /** ReLU and identity take the backward pass that reuses the forward output; TANH takes DL4J's. */
    @ParameterizedTest(name = "{0}, {1}, bias={2}")
    @CsvSource({"Same, RELU, true", "Truncate, IDENTITY, false", "Truncate, TANH, true"})
    void fastConvolutionNet(ConvolutionMode mode, Activation act, boolean bias) {
        MultiLayerNetwork net = new MultiLayerNetwork(base(14).list()
                .layer(new FastConvolutionLayer.Builder(3, 3).nOut(3).stride(1, 1).hasBias(bias)
                        .convolutionMode(mode).activation(act).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new FastConvolutionLayer.Builder(2, 2).nOut(2).activation(act).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutional(8, 8, 2))
                .build());
        net.init();
        assertTrue(check(net, Nd4j.randn(DataType.DOUBLE, 3, 2, 8, 8), oneHot(3, 3, 5)));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"Truncate, TANH", "Same, SOFTPLUS", "Same, RELU", "Truncate, IDENTITY"})
    void ntkConvolutionNet(ConvolutionMode mode, Activation act) {
        MultiLayerNetwork net = new MultiLayerNetwork(base(13).list()
                .layer(new NtkConvolutionLayer.Builder(3, 3).sigmaW(1.2).sigmaB(0.4).nOut(3).stride(1, 1)
                        .convolutionMode(mode).activation(act).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new NtkConvolutionLayer.Builder(2, 2).nOut(2).activation(Activation.TANH).build())
                .layer(new NtkDenseLayer.Builder().nOut(3).activation(Activation.IDENTITY).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(8, 8, 2))
                .build());
        net.init();
        assertTrue(check(net, Nd4j.randn(DataType.DOUBLE, 3, 2, 8, 8), oneHot(3, 3, 4)));
    }
}
