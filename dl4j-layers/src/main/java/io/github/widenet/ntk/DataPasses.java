package io.github.widenet.ntk;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Passes over a training iterator that must present the same examples in the same minibatches every time (one pass per
 * conjugate-gradient iteration): the first pass records the minibatch sizes and a checksum of every example (the sum of
 * its features plus a weighted sum of its targets), and later passes are checked against them, so the n × K vectors of
 * the solver stay aligned with the examples (a shuffling iterator is refused at its second pass).
 */
final class DataPasses {

    /** What a pass does with one minibatch: its examples are rows [offset, offset + batch) of the n × K vectors. */
    interface BatchVisitor {
        void visit(DataSet batch, long offset);
    }

    private final DataSetIterator data;
    private final int nOut;
    private long[] sizes;
    private INDArray checksums;

    DataPasses(DataSetIterator data, int nOut) {
        if (data == null) {
            throw new IllegalArgumentException("the training iterator is null");
        }
        if (!data.resetSupported()) {
            throw new IllegalArgumentException("the training iterator (" + data.getClass().getSimpleName()
                    + ") does not support reset(); NTK regression makes one pass over the data per iteration");
        }
        this.data = data;
        this.nOut = nOut;
    }

    /** Number of examples n (after the first pass). */
    long examples() {
        return Arrays.stream(sizes).sum();
    }

    /** One pass over all minibatches in order. */
    void pass(BatchVisitor visitor) {
        data.reset();
        List<Long> seen = new ArrayList<>();
        long offset = 0;
        while (data.hasNext()) {
            DataSet b = data.next();
            long size = check(b, seen.size());
            if (sizes != null && (seen.size() >= sizes.length || sizes[seen.size()] != size)) {
                throw new IllegalStateException("the training iterator changed between passes: minibatch "
                        + seen.size() + " has " + size + " examples, "
                        + (seen.size() >= sizes.length ? "the first pass had only " + sizes.length + " minibatches"
                        : "it had " + sizes[seen.size()] + " in the first pass") + " (shuffling iterators cannot be used)");
            }
            seen.add(size);
            checkExamples(b, offset, size);
            visitor.visit(b, offset);
            offset += size;
        }
        if (sizes == null) {
            if (seen.isEmpty() || offset == 0) {
                throw new IllegalArgumentException("the training iterator gave no examples");
            }
            sizes = seen.stream().mapToLong(Long::longValue).toArray();
            checksums = Nd4j.concat(0, firstSums.toArray(new INDArray[0]));
            firstSums.clear();
        } else if (seen.size() != sizes.length) {
            throw new IllegalStateException("the training iterator changed between passes: " + seen.size()
                    + " minibatches, the first pass had " + sizes.length);
        }
    }

    private final List<INDArray> firstSums = new ArrayList<>();

    /** Records (first pass) or compares (later passes) the examples' checksums. */
    private void checkExamples(DataSet b, long offset, long size) {
        INDArray features = b.getFeatures().castTo(DataType.DOUBLE).reshape(size, -1).sum(1);
        INDArray labels = b.getLabels().castTo(DataType.DOUBLE);
        INDArray weights = Nd4j.linspace(DataType.DOUBLE, 1, labels.size(1), labels.size(1)).reshape(-1, 1);
        INDArray sums = features.addi(labels.mmul(weights).reshape(size).muli(Math.PI));
        if (checksums == null) {
            firstSums.add(sums);
            return;
        }
        INDArray before = checksums.get(NDArrayIndex.interval(offset, offset + size));
        if (!before.equals(sums)) {
            throw new IllegalStateException("the training iterator changed between passes: the examples from position "
                    + offset + " on differ from the first pass (shuffling iterators cannot be used: every pass must "
                    + "present the same examples in the same order)");
        }
    }

    private long check(DataSet b, int index) {
        if (b.getFeatures() == null || b.getLabels() == null) {
            throw new IllegalArgumentException("minibatch " + index + " has no " + (b.getFeatures() == null
                    ? "features" : "targets"));
        }
        if (b.getFeaturesMaskArray() != null || b.getLabelsMaskArray() != null) {
            throw new IllegalArgumentException("minibatch " + index + " has a mask; NTK regression takes unmasked data");
        }
        if (b.getLabels().rank() != 2 || b.getLabels().size(1) != nOut) {
            throw new IllegalArgumentException("the targets of minibatch " + index + " have shape "
                    + Arrays.toString(b.getLabels().shape()) + "; the network has K = " + nOut
                    + " logits, so targets must be [batch, " + nOut + "]");
        }
        if (sizes == null) {
            requireFinite(b.getFeatures(), "features", index);
            requireFinite(b.getLabels(), "targets", index);
        }
        return b.getFeatures().size(0);
    }

    private static void requireFinite(INDArray v, String what, int index) {
        if (v.isInfinite().any() || v.isNaN().any()) {
            throw new IllegalArgumentException("the " + what + " of minibatch " + index + " hold NaN or infinite values");
        }
    }
}
