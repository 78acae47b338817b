package io.github.widenet.diagnostics;

import io.github.widenet.lazy.LazyWrapper;
import io.github.widenet.linearized.TestNets;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnderlyingNetworkTest {

    @Test
    void aPlainGraphIsItsOwnUnderlyingNetwork() {
        ComputationGraph plain = TestNets.graph();
        UnderlyingNetwork u = UnderlyingNetwork.of(plain);      // threw "Layer with name wrapped does not exist"
        assertFalse(u.isWrapped());
        assertEquals(plain.params().length(), u.layout().total());
    }

    @Test
    void aWrappedGraphIsResolvedToTheGraphItWraps() {
        ComputationGraph plain = TestNets.graph();
        UnderlyingNetwork u = UnderlyingNetwork.of(LazyWrapper.wrap(plain, 10));
        assertTrue(u.isWrapped());
        assertEquals(plain.params().length(), u.layout().total());
    }

    @Test
    void logitsAreThePlainOutputAndTheLazyOutputIsTheirScaledDifference() {
        MultiLayerNetwork plain = TestNets.dense();                              // identity output: output = logits
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 5);
        assertTrue(plain.output(x).equalsWithEps(UnderlyingNetwork.of(plain).logitsAt(x), 1e-12));
        INDArray h0 = plain.output(x);
        MultiLayerNetwork lazy = LazyWrapper.wrap(plain, 10);
        lazy.fit(x, Nd4j.rand(DataType.DOUBLE, 4, 3));                           // w moves away from w0
        INDArray hw = UnderlyingNetwork.of(lazy).logitsAt(x);
        assertTrue(hw.distance2(h0) > 1e-6);
        assertTrue(lazy.output(x).equalsWithEps(hw.sub(h0).muli(10), 1e-10));   // α·(h(w) − h(w0))
    }
}
