package io.github.widenet.internal.wrap;

import io.github.widenet.lazy.LazyWrapper;
import io.github.widenet.linearized.LinearizedWrapper;
import io.github.widenet.linearized.TestNets;
import io.github.widenet.testing.DoublePrecision;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Output heads: a softmax applied before an identity LossLayer (ActivationLayer as in DL4J's SqueezeNet/Darknet19, a
 * softmax dense layer as in Keras imports) is the loss's activation, and the logits are the values before it — never the
 * probabilities; per-position and detection losses are refused with what they are.
 */
@ExtendWith(DoublePrecision.class)
class OutputHeadTest {

    private static NeuralNetConfiguration.ListBuilder base() {
        return new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE).updater(new Sgd(0.5)).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.TANH).build());
    }

    private static MultiLayerNetwork init(NeuralNetConfiguration.ListBuilder b) {
        MultiLayerNetwork net = new MultiLayerNetwork(b.setInputType(InputType.feedForward(4)).build());
        net.init();
        return net;
    }

    /** 4 → 6 (tanh) → dense 3 (σ) [→ ActivationLayer(softmax)] → LossLayer(identity, MCXENT). */
    private static MultiLayerNetwork softmaxBeforeLoss(boolean activationLayer) {
        NeuralNetConfiguration.ListBuilder b = base().layer(new DenseLayer.Builder().nOut(3)
                .activation(activationLayer ? Activation.IDENTITY : Activation.SOFTMAX).build());
        if (activationLayer) {
            b.layer(new ActivationLayer.Builder().activation(Activation.SOFTMAX).build());
        }
        return init(b.layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.IDENTITY)
                .build()));
    }

    /** The logits network's output equals tanh(x·W0 + b0)·W1 + b1, the values before the softmax. */
    private static void assertLogitsArePreSoftmax(MultiLayerNetwork net) {
        LogitsModel h = LogitsModel.of(net);
        assertTrue(h.outputActivation() instanceof ActivationSoftmax, "the softmax moves into the loss");
        INDArray x = TestNets.input(1, 5, 4);
        INDArray z = new InnerGraph(h.logits(), h.params().dup(), null).forward(x, false);
        INDArray expected = Transforms.tanh(x.mmul(net.getParam("0_W")).addiRowVector(net.getParam("0_b")))
                .mmul(net.getParam("1_W")).addiRowVector(net.getParam("1_b"));
        assertEquals(0.0, z.sub(expected).amaxNumber().doubleValue(), 1e-12, "logits = pre-softmax values");
        assertEquals(3, WrappedNetworks.nOut(h));
    }

    @Test
    void activationLayerSoftmaxBeforeALossLayerIsTheLossActivation() {
        MultiLayerNetwork net = softmaxBeforeLoss(true);
        assertLogitsArePreSoftmax(net);
        checkWrappedLikeTheOriginal(net);
    }

    @Test
    void kerasStyleSoftmaxDenseBeforeALossLayerIsTheLossActivation() {
        MultiLayerNetwork net = softmaxBeforeLoss(false);
        assertLogitsArePreSoftmax(net);
        checkWrappedLikeTheOriginal(net);
    }

    /** Linearized at w0 = the original classifier (probabilities and score); lazy at init: uniform, trains finitely. */
    private static void checkWrappedLikeTheOriginal(MultiLayerNetwork net) {
        INDArray x = TestNets.input(2, 8, 4);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 8, 3);
        for (int i = 0; i < 8; i++) {
            y.putScalar(i, i % 3, 1.0);
        }
        MultiLayerNetwork lin = LinearizedWrapper.wrap(net);
        assertEquals(0.0, lin.output(x).sub(net.output(x)).amaxNumber().doubleValue(), 1e-12);
        assertEquals(net.score(new DataSet(x, y)), lin.score(new DataSet(x, y)), 1e-12);
        MultiLayerNetwork lazy = LazyWrapper.wrap(net, 100);
        assertEquals(0.0, lazy.output(x).sub(1.0 / 3).amaxNumber().doubleValue(), 1e-15,
                "softmax of zero logits, not of α·(p(w) − p(w0))");
        for (int i = 0; i < 3; i++) {
            lazy.fit(new DataSet(x, y));
        }
        double sum = LazyWrapper.lazyLayer(lazy).params().sumNumber().doubleValue();
        assertTrue(Double.isFinite(sum), "finite parameters");
    }

    /** SqueezeNet's head: conv → global average pooling → ActivationLayer(softmax) → LossLayer; 3 logits found. */
    @Test
    void graphHeadWithGlobalPoolingAndSoftmaxActivation() {
        ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(4).dataType(DataType.DOUBLE)
                .updater(new Sgd(0.1)).graphBuilder()
                .addInputs("in").setInputTypes(InputType.convolutional(5, 5, 2))
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(3).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU).build(), "in")
                .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "conv")
                .addLayer("softmax", new ActivationLayer.Builder().activation(Activation.SOFTMAX).build(), "gap")
                .addLayer("loss", new LossLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.IDENTITY).build(), "softmax")
                .setOutputs("loss").build());
        g.init();
        LogitsModel h = LogitsModel.of(g);
        assertEquals("gap", h.logits().getNetworkOutputs().get(0));
        assertEquals(3, WrappedNetworks.nOut(h));
        ComputationGraph lazy = LazyWrapper.wrap(g, 50);
        INDArray x = TestNets.input(5, 4, 2, 5, 5);
        assertEquals(0.0, lazy.outputSingle(x).sub(1.0 / 3).amaxNumber().doubleValue(), 1e-15);
    }

    @Test
    void perPositionHeadsAreWrappedButRefusedByTheNtk() {
        MultiLayerNetwork cnnLoss = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(2).convolutionMode(ConvolutionMode.Same).build())
                .layer(new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE).name("pixels").build())
                .setInputType(InputType.convolutional(5, 5, 1)).build());
        cnnLoss.init();
        assertInstanceOf(CnnLossLayer.class, LazyWrapper.wrap(cnnLoss, 10).getLayerWiseConfigurations().getConf(1)
                .getLayer());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> io.github.widenet.ntk.EmpiricalNtk.of(cnnLoss, 2));
        assertTrue(e.getMessage().contains("CnnLossLayer is a per-position loss")
                && e.getMessage().contains("GlobalPoolingLayer + OutputLayer"), e.getMessage());
        MultiLayerNetwork rnn = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new SimpleRnn.Builder().nIn(3).nOut(4).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .build());
        rnn.init();
        assertInstanceOf(RnnLossLayer.class, LinearizedWrapper.wrap(rnn).getLayerWiseConfigurations().getConf(1)
                .getLayer(), "RnnOutputLayer: its logits wrapped, its activation and loss an RnnLossLayer");
        e = assertThrows(IllegalArgumentException.class, () -> io.github.widenet.ntk.EmpiricalNtk.of(rnn, 2));
        assertTrue(e.getMessage().contains("RnnOutputLayer is a per-position loss")
                && e.getMessage().contains("LastTimeStep + OutputLayer"), e.getMessage());
    }

    @Test
    void softmaxFeedingAnotherVertexIsRefused() {
        ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(4).dataType(DataType.DOUBLE)
                .graphBuilder().allowDisconnected(true).addInputs("in")
                .addLayer("d", new DenseLayer.Builder().nIn(4).nOut(3).activation(Activation.SOFTMAX).build(), "in")
                .addLayer("e", new DenseLayer.Builder().nIn(3).nOut(3).build(), "d")
                .addLayer("loss", new LossLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.IDENTITY).build(), "d")
                .setOutputs("loss").build());
        g.init();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LazyWrapper.wrap(g, 10));
        assertTrue(e.getMessage().contains("also feeds vertex 'e'"), e.getMessage());
    }
}
