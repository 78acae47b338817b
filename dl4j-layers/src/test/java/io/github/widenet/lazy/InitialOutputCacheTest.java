package io.github.widenet.lazy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The cache of h(w0, x) keyed by row content, on float32 and float64 rows of lengths that exercise the four-values-per-
 * iteration loop and its tail: a row seen before is a hit with the stored output, a row differing in one value by one
 * ulp (or two values swapped) is a miss, and a row read through a view hashes like its copy.
 */
class InitialOutputCacheTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4, 7, 3072})
    void hitsExactlyTheRowsSeenBefore(int length) {
        for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            InitialOutputCache cache = new InitialOutputCache(100);
            AtomicInteger computed = new AtomicInteger();
            INDArray x = Nd4j.rand(type, 4, length);
            INDArray first = cache.outputs(x, sub -> {
                computed.addAndGet((int) sub.size(0));
                return sub.sum(true, 1).repeat(1, 2);
            });
            assertEquals(4, computed.get());
            INDArray changed = x.dup();
            float v = changed.getFloat(2, length - 1);
            changed.putScalar(2, length - 1, type == DataType.FLOAT ? Math.nextUp(v) : Math.nextUp((double) v));
            if (length > 1) {                    // row 3: its first two values swapped
                double a = changed.getDouble(3, 0);
                changed.putScalar(3, 0, changed.getDouble(3, 1));
                changed.putScalar(3, 1, a);
            }
            INDArray big = Nd4j.create(type, 6, length);
            big.get(NDArrayIndex.interval(1, 5), NDArrayIndex.all()).assign(changed);
            INDArray view = big.get(NDArrayIndex.interval(1, 5), NDArrayIndex.all());
            INDArray second = cache.outputs(view, sub -> {
                computed.addAndGet((int) sub.size(0));
                return sub.sum(true, 1).repeat(1, 2);
            });
            boolean swapDiffers = length > 1 && x.getDouble(3, 0) != x.getDouble(3, 1);
            assertEquals(4 + 1 + (swapDiffers ? 1 : 0), computed.get(), type + ": rows 0 and 1 hit, the changed rows miss");
            assertEquals(first.getRow(0), second.getRow(0));
            assertEquals(first.getRow(1), second.getRow(1));
            assertEquals(changed.sum(true, 1).getDouble(2, 0), second.getDouble(2, 0), 1e-5);
            assertEquals(2 + (swapDiffers ? 0 : 1), cache.hits(), type + ": hits");
        }
    }
}
