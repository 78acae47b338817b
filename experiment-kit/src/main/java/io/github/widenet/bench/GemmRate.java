package io.github.widenet.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The machine's own limit: the float32 ND4J gemm rate for n × n matrices, in GFLOP/s (2·n³ flops per product). */
public final class GemmRate {

    private GemmRate() {
    }

    /** Median-free simple measurement: warm up, then time products for about {@code seconds}. */
    public static double gflops(int n, double seconds) {
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray c = Nd4j.createUninitialized(DataType.FLOAT, new long[]{n, n}, 'f');
        for (int i = 0; i < 3; i++) {
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
        }
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        int reps = 0;
        do {
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            reps++;
        } while (System.nanoTime() < deadline);
        double elapsed = (System.nanoTime() - start) / 1e9;
        return 2.0 * n * n * (double) n * reps / elapsed / 1e9;
    }

    /**
     * One n × n product as a {@link StepTimer.Case}, so that the rate can be timed interleaved with the cases it is the
     * limit of (a shared machine's speed can drift a lot within minutes).
     */
    public static StepTimer.Case asCase(int n) {
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray c = Nd4j.createUninitialized(DataType.FLOAT, new long[]{n, n}, 'f');
        return new StepTimer.Case(null, java.util.List.of(new org.nd4j.linalg.dataset.DataSet()),
                ignored -> Nd4j.gemm(a, b, c, false, false, 1.0, 0.0));
    }

    /** GFLOP/s of n × n products that took {@code secondsPerProduct} each. */
    public static double fromSeconds(int n, double secondsPerProduct) {
        return 2.0 * n * n * (double) n / secondsPerProduct / 1e9;
    }
}
