package io.github.widenet.lazy;

import io.github.widenet.wrap.EmbeddedNetworkLayer;
import io.github.widenet.linearized.LinearizedWrapper;
import io.github.widenet.linearized.TestNets;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The wrappers' periodic garbage collection: configured per wrap, saved with the model, and on by default. */
class WrapperGarbageTest {

    private static int every(MultiLayerNetwork wrapped) {
        return ((EmbeddedNetworkLayer) wrapped.getLayerWiseConfigurations().getConf(0).getLayer())
                .getCollectEverySteps();
    }

    @Test
    void defaultAndChosenIntervalsSurviveJson() {
        assertEquals(EmbeddedNetworkLayer.DEFAULT_COLLECT_EVERY_STEPS, every(LazyWrapper.wrap(TestNets.dense(), 10)));
        MultiLayerNetwork lin = LinearizedWrapper.builder().collectGarbageEvery(7).wrap(TestNets.dense());
        assertEquals(7, every(lin));
        MultiLayerNetwork back = new MultiLayerNetwork(org.deeplearning4j.nn.conf.MultiLayerConfiguration.fromJson(
                lin.getLayerWiseConfigurations().toJson()));
        assertEquals(7, every(back));
        assertEquals(0, every(LazyWrapper.builder().alpha(10).collectGarbageEvery(0).wrap(TestNets.dense())));
    }

    @Test
    void negativeIntervalsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> LazyWrapper.builder().collectGarbageEvery(-1));
    }
}
