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

    private static org.deeplearning4j.nn.graph.ComputationGraph graph() {
        org.deeplearning4j.nn.graph.ComputationGraph g = new org.deeplearning4j.nn.graph.ComputationGraph(
                new NeuralNetConfiguration.Builder().seed(5).dataType(org.nd4j.linalg.api.buffer.DataType.DOUBLE)
                        .updater(new org.nd4j.linalg.learning.config.Nesterovs(0.05, 0.9)).graphBuilder()
                        .addInputs("in")
                        .addLayer("b", new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.RELU).build(), "in")
                        .addLayer("a", new DenseLayer.Builder().nIn(4).nOut(3).activation(Activation.TANH).build(), "in")
                        .addVertex("m", new org.deeplearning4j.nn.conf.graph.MergeVertex(), "a", "b")
                        .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(9).nOut(2)
                                .activation(Activation.IDENTITY).build(), "m")
                        .setOutputs("out").build());
        g.init();
        return g;
    }

    private static void assertBitEqual(INDArray expected, INDArray actual, String what) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected.dup().data().asDouble(),
                actual.dup().data().asDouble(), 0.0, what);
    }

    @Test
    void graphWithMomentumRoundTripsBitForBitAndKeepsCounters(@TempDir Path dir) throws Exception {
        CheckpointStore store = new CheckpointStore(dir, Duration.ofMinutes(5));
        org.deeplearning4j.nn.graph.ComputationGraph g = graph();
        org.nd4j.linalg.api.buffer.DataType dt = org.nd4j.linalg.api.buffer.DataType.DOUBLE;
        DataSet d = new DataSet(Nd4j.rand(dt, 6, 4), Nd4j.rand(dt, 6, 2));
        for (int i = 0; i < 3; i++) {
            g.fit(d);
        }
        store.save("cg", g, Map.of("step", 3));
        org.deeplearning4j.nn.graph.ComputationGraph back = store.load("cg").orElseThrow().computationGraph();
        assertBitEqual(g.params(), back.params(), "parameters");
        assertBitEqual(g.getUpdater().getStateViewArray(), back.getUpdater().getStateViewArray(), "momentum");
        assertEquals(g.getConfiguration().getIterationCount(), back.getConfiguration().getIterationCount());
        assertEquals(3, back.getConfiguration().getIterationCount());
        g.fit(d);
        back.fit(d);
        assertBitEqual(g.params(), back.params(), "one more step from the restored graph");
    }

    @Test
    void checkpointsWrittenByModelSerializerStillLoad(@TempDir Path dir) throws Exception {
        MultiLayerNetwork net = net();
        net.fit(new DataSet(Nd4j.rand(6, 4), Nd4j.rand(6, 2)));
        java.io.File f = dir.resolve("old.zip").toFile();
        org.deeplearning4j.util.ModelSerializer.writeModel(net, f, true);
        org.deeplearning4j.util.ModelSerializer.addObjectToFile(f, "widenet-state.json", "{\"step\":4}");
        CheckpointStore.Checkpoint c = new CheckpointStore(dir, Duration.ZERO).load("old").orElseThrow();
        assertEquals(4, c.getLong("step"));
        assertBitEqual(net.params(), c.multiLayerNetwork().params(), "legacy parameters");
        assertBitEqual(net.getUpdater().getStateViewArray(), c.multiLayerNetwork().getUpdater().getStateViewArray(),
                "legacy updater state");
    }

    @Test
    void aTruncatedCheckpointIsAnErrorNamingTheFile(@TempDir Path dir) throws Exception {
        CheckpointStore store = new CheckpointStore(dir, Duration.ZERO);
        store.save("t", net(), Map.of("step", 1));
        Path f = dir.resolve("t.zip");
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> store.load("t"));
        assertTrue(e.getMessage().contains("t.zip"), e.getMessage());
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
    void doneTasksAndInterval(@TempDir Path dir) throws Exception {
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
