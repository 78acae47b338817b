package io.github.widenet.internal.wrap;

import io.github.widenet.lazy.LazyWrapper;
import io.github.widenet.linearized.TestNets;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.EnumMap;
import java.util.EnumSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded network's activation arrays are lent again pass after pass (same buffers), are zeroed or copied when the
 * caller asks for it, are freed when a pass no longer uses their shape, and training through them takes the same steps
 * as with fresh arrays.
 */
class RecyclingWorkspaceMgrTest {

    private static RecyclingWorkspaceMgr mgr() {
        return new RecyclingWorkspaceMgr(EnumSet.allOf(ArrayType.class), new EnumMap<>(ArrayType.class),
                new EnumMap<>(ArrayType.class));
    }

    @Test
    void arraysAreLentAgainAfterRecycleAndFreedWhenUnused() {
        RecyclingWorkspaceMgr m = mgr();
        INDArray a = m.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, new long[]{4, 5}, 'c');
        INDArray g = m.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, new long[]{4, 5}, 'c');
        INDArray other = m.createUninitialized(ArrayType.FF_WORKING_MEM, DataType.FLOAT, new long[]{4, 5}, 'c');
        assertTrue(m.owns(a) && m.owns(g) && m.owns(a.reshape(20)));
        assertFalse(m.owns(other), "working memory is not recycled");
        assertNotSame(a.data(), g.data());
        m.recycle();
        INDArray a2 = m.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, new long[]{4, 5}, 'c');
        INDArray f = m.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, new long[]{4, 5}, 'f');
        assertTrue(a2.data() == a.data() || a2.data() == g.data(), "same shape: a previous buffer is lent again");
        assertFalse(f.data() == a.data() || f.data() == g.data(), "another order is another array");

        a2.assign(7);
        m.recycle();
        INDArray zeroed = m.create(ArrayType.ACTIVATIONS, DataType.FLOAT, new long[]{4, 5}, 'c');
        assertEquals(0.0, zeroed.amaxNumber().doubleValue(), "create() zeroes a lent array");
        INDArray src = Nd4j.rand(DataType.FLOAT, 4, 5);
        INDArray copy = m.dup(ArrayType.ACTIVATION_GRAD, src);
        assertEquals(src, copy);
        assertNotSame(src.data(), copy.data());

        m.recycle();                          // lends none of these again ...
        m.recycle();                          // ... so they are freed
        assertFalse(m.owns(zeroed) || m.owns(copy) || m.owns(f));
    }

    @Test
    void lazyTrainingThroughRecycledArraysEqualsFreshArrays() {
        MultiLayerNetwork a = LazyWrapper.wrap(TestNets.fastConv(), 10);
        MultiLayerNetwork b = LazyWrapper.wrap(TestNets.fastConv(), 10);
        b.setParams(a.params());
        for (int step = 0; step < 4; step++) {
            DataSet d = data(step, step == 2 ? 3 : 5);        // a batch of another size in between
            a.fit(d);
            MultiLayerNetwork fresh = b.clone();             // new embedded graphs, nothing to recycle yet
            fresh.fit(d);
            b = fresh;
            double diff = a.params().sub(b.params()).amaxNumber().doubleValue();
            assertEquals(0.0, diff, "step " + step + ": largest parameter difference");
        }
    }

    private static DataSet data(long seed, int rows) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(DataType.FLOAT, rows, 2, 8, 8);
        INDArray y = Nd4j.zeros(DataType.FLOAT, rows, 3);
        for (int i = 0; i < rows; i++) {
            y.putScalar(i, (i + seed) % 3, 1f);
        }
        return new DataSet(x, y);
    }
}
