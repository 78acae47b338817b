package io.github.widenet.mnist.data;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class MnistBatchesTest {

    @Test
    void orderIsAPureFunctionOfSeedAndEpoch() throws IOException {
        MnistSet set = MnistLocator.embedded().test();
        MnistBatches a = new MnistBatches(set, 64, 7);
        MnistBatches b = new MnistBatches(set, 64, 7);
        int[] e3 = a.order(3).clone();
        a.order(0);
        assertArrayEquals(e3, b.order(3));
        assertArrayEquals(e3, a.order(3));
        assertFalse(Arrays.equals(e3, a.order(4)));
        assertFalse(Arrays.equals(e3, new MnistBatches(set, 64, 8).order(3)));
        int[] sorted = e3.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i], "a permutation");
        }
    }

    @Test
    void resumingAtAStepGivesTheSameBatches() throws IOException {
        MnistSet set = MnistLocator.embedded().test().first(500);
        MnistBatches run = new MnistBatches(set, 64, 1);
        assertEquals(8, run.batchesPerEpoch());
        DataSet[] uninterrupted = new DataSet[20];
        for (int s = 0; s < 20; s++) {
            uninterrupted[s] = run.batchForStep(s);
        }
        MnistBatches resumed = new MnistBatches(set, 64, 1);
        for (int s = 13; s < 20; s++) {
            assertEquals(uninterrupted[s], resumed.batchForStep(s), "step " + s);
        }
        assertEquals(500 - 7 * 64, run.batch(0, 7).numExamples(), "the last batch holds the remainder");
        assertEquals(1.0, run.batch(2, 3).getLabels().sum(1).minNumber().doubleValue(), 0.0, "one-hot labels");
    }
}
