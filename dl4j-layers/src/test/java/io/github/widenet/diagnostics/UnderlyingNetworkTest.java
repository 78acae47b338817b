package io.github.widenet.diagnostics;

import io.github.widenet.lazy.LazyWrapper;
import io.github.widenet.linearized.TestNets;
import org.deeplearning4j.nn.graph.ComputationGraph;
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
}
