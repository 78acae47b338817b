package io.github.widenet.train;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointStoreTest {

    private static MultiLayerNetwork net() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(0.01))
                .list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY).build())
                .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.feedForward(4))
                .build());
        net.init();
        return net;
    }

    @Test
    void roundTripRestoresParametersUpdaterStateAndState(@TempDir Path dir) throws Exception {
        CheckpointStore store = new CheckpointStore(dir, Duration.ofMinutes(5));
        MultiLayerNetwork net = net();
        DataSet d = new DataSet(Nd4j.rand(6, 4), Nd4j.rand(6, 2));
        net.fit(d);
        store.save("m=1000", net, Map.of("step", 17, "note", "x"));

        CheckpointStore.Checkpoint c = store.load("m=1000").orElseThrow();
        MultiLayerNetwork back = c.multiLayerNetwork();
        assertEquals(17, c.getLong("step"));
        assertEquals("x", c.state().get("note"));
        assertEquals(net.params(), back.params());
        assertEquals(net.getUpdater().getStateViewArray(), back.getUpdater().getStateViewArray());
        net.fit(d);
        back.fit(d);
        INDArray x = Nd4j.rand(3, 4);
        assertEquals(net.output(x), back.output(x), "training continues identically after restore");
        assertTrue(store.load("other").isEmpty());
    }

    @Test
    void leftoverTempFilesDoNotBreakLoading(@TempDir Path dir) throws Exception {
        CheckpointStore store = new CheckpointStore(dir, Duration.ofMinutes(5));
        MultiLayerNetwork net = net();
        store.save("run", net, Map.of("step", 1));
        // a kill during a later save leaves a partial temp file behind
        Files.write(dir.resolve(".tmp-run12345.zip"), new byte[]{1, 2, 3});
        assertEquals(1, store.load("run").orElseThrow().getLong("step"));
        store.save("run", net, Map.of("step", 2));
        assertEquals(2, store.load("run").orElseThrow().getLong("step"));
    }

    @Test
    void doneUnitsAndInterval(@TempDir Path dir) throws Exception {
        AtomicLong now = new AtomicLong(0);
        CheckpointStore store = new CheckpointStore(dir, Duration.ofSeconds(60), now::get);
        assertFalse(store.due());
        now.set(61_000_000_000L);
        assertTrue(store.due());
        assertFalse(store.isDone("mode alpha=10"));
        store.markDone("mode alpha=10", Map.of("accuracy", 0.5));
        assertTrue(store.isDone("mode alpha=10"));
        assertEquals(0.5, ((Number) store.result("mode alpha=10", Map.class).orElseThrow().get("accuracy")).doubleValue());
    }

    @Test
    void garbageDoneFileNamesTheFile(@TempDir Path dir) throws Exception {
        CheckpointStore store = new CheckpointStore(dir, Duration.ofMinutes(5));
        store.markDone("mean-field-m40", Map.of("accuracy", 0.5));
        Path done = dir.resolve("done-mean-field-m40.json");
        Files.writeString(done, "{\"accuracy\": 0.5, garbage");
        java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> store.result("mean-field-m40", Map.class));
        assertTrue(e.getMessage().contains(done.toString()), e.getMessage());
    }
}
