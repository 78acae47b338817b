package io.github.widenet.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The peer's output (lines printed by ../shared/peer/torch_bench.py) is read back; a file without figures is named. */
class PeerResultsTest {

    @Test
    void readsTheTorchBenchLines(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("peer.txt");
        Files.writeString(f, String.join("\n",
                "torch two-layer m=1000: 9706 examples/s, 46.1 GFLOP/s",
                "torch two-layer m=10000: 1506 examples/s, 71.8 GFLOP/s",
                "torch vgg11 width/1: 362.4 images/s",
                "torch vgg11 width/4 batch 128: 4153.0 images/s",
                "torch sgemm 2048: 234 GFLOP/s"));
        PeerResults p = PeerResults.read(f);
        assertEquals(9706, p.twoLayer(1000), 0);
        assertEquals(1506, p.twoLayer(10000), 0);
        assertTrue(Double.isNaN(p.twoLayer(250000)));
        assertEquals(362.4, p.vgg(1, 64), 0);
        assertEquals(4153.0, p.vgg(4, 128), 0);
        assertEquals(234, p.sgemm(), 0);
        assertEquals(4.0 * 100 * 784 * 10000 + 6.0 * 100 * 10000 * 10, TwoLayerBenchmarks.firstLayerFlops(10000), 0);
    }

    @Test
    void aFileWithoutFiguresIsNamed(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("empty.txt");
        Files.writeString(f, "ModuleNotFoundError: No module named 'torch'\n");
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> PeerResults.read(f));
        assertTrue(e.getMessage().contains("empty.txt"), e.getMessage());
    }
}
