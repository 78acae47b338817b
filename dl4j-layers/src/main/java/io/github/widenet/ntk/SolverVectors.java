package io.github.widenet.ntk;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The solver's vector operations: minibatch rows of the flat n·K vectors (example i, logit k at index i·K + k) and the
 * in-place y += α·x that keeps the iterations free of temporaries.
 */
final class SolverVectors {

    private SolverVectors() {
    }

    /** Rows [offset, offset + batch) of an n·K vector, read as [batch, K]. */
    static INDArray rows(INDArray v, long offset, long batch, int k) {
        return v.get(NDArrayIndex.interval(offset * k, (offset + batch) * k)).reshape(batch, k);
    }

    /** Writes [batch, K] values into rows [offset, offset + batch) of an n·K vector. */
    static void setRows(INDArray v, long offset, INDArray values, int k) {
        v.get(NDArrayIndex.interval(offset * k, offset * k + values.length())).assign(values.reshape(values.length()));
    }

    /** y += α·x in place. */
    static void axpy(double alpha, INDArray x, INDArray y) {
        Nd4j.getBlasWrapper().level1().axpy(x.length(), alpha, x, y);
    }
}
