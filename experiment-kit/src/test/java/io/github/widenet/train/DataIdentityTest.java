package io.github.widenet.train;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DataIdentityTest {

    @Test
    void recordedAsSizesAndHexChecksumsInTheRunOptionsOrder() {
        Map<String, Object> m = new DataIdentity(50_000, 0x908ae514L, 10_000, 0x8d011f61L).asMap();
        assertEquals(List.of("trainExamples", "testExamples", "trainCrc32", "testCrc32"), List.copyOf(m.keySet()));
        // as in results/cifar/interpolation/run-options.json, written before this record existed
        assertEquals(Map.of("trainExamples", 50_000, "testExamples", 10_000, "trainCrc32", "908ae514",
                "testCrc32", "8d011f61"), m);
    }
}
