package io.github.widenet.cifar.data;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class CifarBatchesTest {

    private static CifarSet synthetic(int n) {
        byte[] p = new byte[n * CifarSet.PIXELS];
        new java.util.Random(3).nextBytes(p);
        byte[] l = new byte[n];
        for (int i = 0; i < n; i++) {
            l[i] = (byte) ((i * 7) % 10);
        }
        return new CifarSet(p, l);
    }

    @Test
    void normalisationGivesZeroMeanUnitStdPerChannel() {
        CifarSet s = synthetic(200);
        CifarBatches.Normalization norm = CifarBatches.Normalization.of(s);
        DataSet all = new CifarBatches(s, 200, 1, false, false, norm).batch(0, 0);
        INDArray x = all.getFeatures();
        assertArrayEquals(new long[]{200, 3, 32, 32}, x.shape());
        for (int c = 0; c < 3; c++) {
            INDArray ch = x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(c));
            assertEquals(0.0, ch.meanNumber().doubleValue(), 1e-3);
            assertEquals(1.0, ch.stdNumber().doubleValue(), 1e-2);
        }
        assertEquals(1.0, all.getLabels().sum(1).minNumber().doubleValue(), 0.0);
    }

    @Test
    void orderAndAugmentationArePureFunctionsOfSeedEpochAndExample() {
        CifarSet s = synthetic(100);
        CifarBatches.Normalization norm = CifarBatches.Normalization.of(s);
        CifarBatches a = new CifarBatches(s, 32, 5, true, true, norm);
        CifarBatches b = new CifarBatches(s, 32, 5, true, true, norm);
        assertEquals(4, a.batchesPerEpoch());
        DataSet a21 = a.batch(2, 1);
        a.batch(0, 0);
        assertEquals(a21, b.batch(2, 1), "same (seed, epoch, batch) => same data");
        assertEquals(a21, a.batchForStep(2 * 4 + 1));
        assertNotEquals(a.batch(3, 1), a21);
        assertFalse(Arrays.equals(a.order(0), a.order(1)));
        assertEquals(100 - 3 * 32, a.batch(0, 3).numExamples());
    }

    @Test
    void augmentationIsACropOfThePaddedImageOrItsMirror() {
        CifarSet s = synthetic(10);
        CifarBatches.Normalization norm = new CifarBatches.Normalization(new double[]{0, 0, 0}, new double[]{1, 1, 1});
        CifarBatches plain = new CifarBatches(s, 10, 9, false, false, norm);
        CifarBatches aug = new CifarBatches(s, 10, 9, false, true, norm);
        INDArray p = plain.batch(0, 0).getFeatures();
        INDArray q = aug.batch(0, 0).getFeatures();
        assertArrayEquals(p.shape(), q.shape());
        assertEquals(0.0, q.minNumber().doubleValue(), 0.0);
        assertEquals(1.0, q.maxNumber().doubleValue(), 1e-6);
        // each augmented image equals the original shifted by some (dy, dx) in [-4, 4], possibly mirrored
        for (int i = 0; i < 10; i++) {
            boolean found = false;
            for (int flip = 0; flip < 2 && !found; flip++) {
                for (int dy = -4; dy <= 4 && !found; dy++) {
                    for (int dx = -4; dx <= 4 && !found; dx++) {
                        found = matches(p, q, i, dy, dx, flip == 1);
                    }
                }
            }
            assertEquals(true, found, "image " + i);
        }
    }

    private static boolean matches(INDArray p, INDArray q, int i, int dy, int dx, boolean flip) {
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    int sy = y + dy;
                    int sx = (flip ? 31 - x : x) + dx;
                    double want = sy < 0 || sy > 31 || sx < 0 || sx > 31 ? 0 : p.getDouble(i, c, sy, sx);
                    if (Math.abs(q.getDouble(i, c, y, x) - want) > 1e-6) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** Class-mixed batches: a class-sorted set is dealt round-robin, the same images, each batch of 10 all classes. */
    @Test
    void classMixedOrderDealsTheClassesRoundRobin() {
        CifarSet sorted = synthetic(100).balanced(50);          // stored by class: 5 of class 0, then 5 of class 1, …
        CifarBatches.Normalization norm = CifarBatches.Normalization.of(sorted);
        CifarBatches plain = new CifarBatches(sorted, 10, 3, false, false, norm);
        CifarBatches mixed = plain.classMixed();
        int[] order = mixed.order(0);
        assertEquals(order.length, java.util.Arrays.stream(order).distinct().count(), "a permutation");
        for (int b = 0; b < mixed.batchesPerEpoch(); b++) {
            DataSet d = mixed.batch(0, b);
            assertEquals(10, d.getLabels().sum(0).gt(0).castTo(org.nd4j.linalg.api.buffer.DataType.INT)
                    .sumNumber().intValue(), "batch " + b + " holds every class");
            for (int r = 0; r < 10; r++) {             // row r of batch b is stored image order[10 b + r]
                assertEquals(sorted.label(order[10 * b + r]), d.getLabels().getRow(r).argMax().getInt(0));
            }
        }
        assertEquals(java.util.Arrays.toString(order), java.util.Arrays.toString(mixed.order(7)), "every epoch");
    }

    @Test
    void balancedSubsetTakesTheFirstExamplesOfEachClass() {
        CifarSet s = synthetic(100);
        CifarSet sub = s.balanced(25);
        assertEquals(25, sub.size());
        int[] counts = sub.classCounts();
        for (int k = 0; k < 10; k++) {
            assertEquals(k < 5 ? 3 : 2, counts[k]);
        }
    }
}
