package io.github.widenet.internal.onednn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * oneDNN's direct convolution backward through its Java API against ND4J's conv2d_bp op (an independent implementation:
 * ND4J's own im2col/gemm code on this test classpath) for strides, asymmetric padding, dilation, no bias and
 * output arrays that are views at an offset into a larger buffer (as DL4J's gradient views are).
 */
class DirectConvolutionBackwardTest {

    @Test
    void oneDnnIsAvailableOnTheTestClasspath() {
        assertTrue(OneDnnAvailability.available(), "oneDNN's Java API did not load: " + OneDnnAvailability.problem());
    }

    @ParameterizedTest(name = "in {1}x{2}x{3}, k {4}, stride {5}, pad {6}/{7}, dilation {8}, bias={9}")
    @CsvSource({
            "4, 3, 9, 9, 3, 1, 1, 1, 1, true",      // Same-like, symmetric padding
            "3, 5, 8, 8, 3, 2, 0, 1, 1, true",      // stride 2, asymmetric padding (Same mode on an even input)
            "2, 4, 9, 9, 2, 1, 1, 1, 2, false",     // dilation 2, no bias
            "5, 2, 6, 6, 3, 1, 0, 0, 1, true",      // no padding
            "2, 16, 4, 4, 3, 1, 1, 1, 1, true"})    // more channels, small image
    void equalsNd4jsConv2dBp(int n, int c, int h, int w, int k, int s, int padTL, int padBR, int d, boolean bias) {
        int o = 6;
        int oh = (h + padTL + padBR - ((k - 1) * d + 1)) / s + 1;
        int ow = (w + padTL + padBR - ((k - 1) * d + 1)) / s + 1;
        Nd4j.getRandom().setSeed(n * 100L + c);
        INDArray x = Nd4j.randn(DataType.FLOAT, n, c, h, w);
        INDArray wt = Nd4j.randn(DataType.FLOAT, o, c, k, k);
        INDArray b = Nd4j.randn(DataType.FLOAT, o);
        INDArray delta = Nd4j.randn(DataType.FLOAT, n, o, oh, ow);

        INDArray dxRef = Nd4j.create(DataType.FLOAT, n, c, h, w);
        INDArray dwRef = Nd4j.create(DataType.FLOAT, o, c, k, k);
        INDArray dbRef = Nd4j.create(DataType.FLOAT, o);
        boolean sameMode = padTL != padBR;      // ND4J's op takes one padding per axis; Same mode computes unequal ones
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d_bp")
                .addIntegerArguments(k, k, s, s, padTL, padTL, d, d, sameMode ? 1 : 0, 0, 1);
        if (bias) {
            op.addInputs(x, wt, b, delta).addOutputs(dxRef, dwRef, dbRef);
        } else {
            op.addInputs(x, wt, delta).addOutputs(dxRef, dwRef);
        }
        Nd4j.exec(op.build());

        // Outputs as views at an offset inside larger buffers.
        INDArray dwBuffer = Nd4j.zeros(DataType.FLOAT, 1, 7 + o * c * k * k + o);
        INDArray dw = dwBuffer.get(NDArrayIndex.point(0), NDArrayIndex.interval(7, 7 + o * c * k * k)).reshape(o, c, k, k);
        INDArray db = dwBuffer.get(NDArrayIndex.point(0), NDArrayIndex.interval(7 + o * c * k * k, 7 + o * c * k * k + o));
        INDArray dx = Nd4j.create(DataType.FLOAT, n, c, h, w);
        assertTrue(LayoutBridge.bindable(x, wt, delta, dx, dw, db));
        DirectConvolutionBackward direct = new DirectConvolutionBackward(x.shape(), wt.shape(), delta.shape(),
                new int[]{s, s}, new int[]{padTL, padTL}, new int[]{padBR, padBR}, new int[]{d, d}, bias);
        assertTrue(direct.fits(x, wt, delta, bias));
        direct.run(x, wt, delta, dx, dw, bias ? db : null);

        assertEquals(0.0, rel(dx, dxRef), 1e-5, "dL/dx");
        assertEquals(0.0, rel(dw, dwRef), 1e-5, "dL/dW");
        if (bias) {
            assertEquals(0.0, rel(db, dbRef), 1e-5, "dL/db");
        }
        assertEquals(0.0, dwBuffer.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, 7)).amaxNumber().doubleValue(),
                "nothing written before the view");
    }

    @Test
    void refusesWhatItCannotBind() {
        INDArray f = Nd4j.create(DataType.FLOAT, 2, 3, 4, 4);
        assertTrue(LayoutBridge.bindable(f));
        assertFalse(LayoutBridge.bindable(Nd4j.create(DataType.DOUBLE, 2, 3, 4, 4)));
        assertFalse(LayoutBridge.bindable(f.permute(0, 2, 3, 1)));
        assertFalse(LayoutBridge.bindable(Nd4j.create(DataType.FLOAT, new long[]{2, 3, 4, 4}, 'f')));
    }

    private static double rel(INDArray a, INDArray ref) {
        return a.sub(ref).amaxNumber().doubleValue() / Math.max(1e-30, ref.amaxNumber().doubleValue());
    }
}
