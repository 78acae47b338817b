package io.github.widenet.internal.wrap;

import io.github.widenet.lazy.LazyWrapper;
import io.github.widenet.linearized.LinearizedWrapper;
import io.github.widenet.testing.DoublePrecision;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mistakes users make with the wrappers, each with a message naming the problem: a null network (naming the argument),
 * freezing layer 0 of a wrapped network (the whole model), and a wrong input width (naming the user's layer 0 and its
 * name, not the wrapper's inner vertex index).
 */
@ExtendWith(DoublePrecision.class)
class WrapperTrapsTest {

    static MultiLayerNetwork net() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.DOUBLE)
                .updater(new Sgd(0.1)).list()
                .layer(new DenseLayer.Builder().nIn(5).nOut(4).activation(Activation.TANH).name("hidden").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX)
                        .build())
                .build());
        net.init();
        return net;
    }

    @Test
    void nullNetworkNamesTheArgument() {
        for (Executable wrap : List.<Executable>of(() -> LazyWrapper.wrap((MultiLayerNetwork) null, 10),
                () -> LazyWrapper.wrap((ComputationGraph) null, 10), () -> LazyWrapper.wrap((MultiLayerNetwork) null, 10, 5),
                () -> LinearizedWrapper.wrap((MultiLayerNetwork) null), () -> LinearizedWrapper.wrap((ComputationGraph) null),
                () -> LazyWrapper.builder().wrap((MultiLayerNetwork) null),
                () -> LinearizedWrapper.builder().wrap((ComputationGraph) null))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, wrap);
            assertTrue(e.getMessage().startsWith("the network to wrap (argument 'net') is null"), e.getMessage());
        }
    }

    @Test
    void wrongInputWidthNamesTheUsersLayer() {
        MultiLayerNetwork net = net();
        for (MultiLayerNetwork wrapped : List.of(LazyWrapper.wrap(net, 10), LinearizedWrapper.wrap(net))) {
            Throwable e = cause(assertThrows(RuntimeException.class,
                    () -> wrapped.output(Nd4j.rand(DataType.DOUBLE, 2, 7))), "Input size");
            assertTrue(e.getMessage().contains("layer 0 'hidden' (DenseLayer) of the wrapped network")
                    && e.getMessage().contains("7 columns") && e.getMessage().contains("layer # inputs = 5")
                    && !e.getMessage().contains("layer index: 1"), e.getMessage());
        }
    }

    /** The exception in {@code e}'s cause chain whose message contains {@code text} (DL4J wraps forward errors once). */
    private static Throwable cause(Throwable e, String text) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(text)) {
                return t;
            }
        }
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            b.append(t).append(" <- ");
        }
        throw new AssertionError("no cause with '" + text + "': " + b, e);
    }

    @Test
    void freezingLayer0OfAWrappedNetworkIsRefused() {
        MultiLayerNetwork lazy = LazyWrapper.wrap(net(), 10);
        MultiLayerNetwork frozen = new TransferLearning.Builder(lazy).setFeatureExtractor(0).build();
        // refused at the first forward pass (TransferLearning reuses the runtime layer: nothing to intercept before)
        Throwable e = cause(assertThrows(RuntimeException.class, () -> frozen.output(Nd4j.rand(DataType.DOUBLE, 2, 5))),
                "whole model");
        assertTrue(e instanceof IllegalArgumentException, e.toString());
        assertTrue(e.getMessage().contains("layer 0 of a wrapped network is the whole model")
                && e.getMessage().contains("freeze layers of the original network before wrapping"), e.getMessage());
    }
}
