package io.github.widenet.internal.onednn;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The forward convolution on NHWC arrays both ways (reorders to oneDNN's blocked layout, and oneDNN's NHWC kernels in
 * place) against a plain-loop convolution, and the property that picks the way.
 */
class DirectConvolutionForwardTest {

    @AfterEach
    void clear() {
        System.clearProperty(DirectConvolutionForward.NHWC_PROPERTY);
    }

    @Test
    void narrowLayersInPlaceWideOnesBlockedAndThePropertyFixesTheChoice() {
        long max = DirectConvolutionForward.IN_PLACE_MAX_CHANNELS;
        assertTrue(DirectConvolutionForward.nhwcKernels(3, max));
        assertFalse(DirectConvolutionForward.nhwcKernels(max, max + 1));
        assertFalse(DirectConvolutionForward.nhwcKernels(max + 1, 8));
        System.setProperty(DirectConvolutionForward.NHWC_PROPERTY, "nhwc");
        assertTrue(DirectConvolutionForward.nhwcKernels(512, 512));
        System.setProperty(DirectConvolutionForward.NHWC_PROPERTY, "blocked");
        assertFalse(DirectConvolutionForward.nhwcKernels(3, 8));
        System.setProperty(DirectConvolutionForward.NHWC_PROPERTY, "fastest");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DirectConvolutionForward.nhwcKernels(3, 8));
        assertTrue(e.getMessage().contains(DirectConvolutionForward.NHWC_PROPERTY) && e.getMessage().contains("fastest"),
                e.getMessage());
    }

    @ParameterizedTest(name = "{0} input channels, {1}")
    @CsvSource({"8, auto", "8, blocked", "256, auto", "256, nhwc"})
    void nhwcForwardEqualsPlainLoops(int c, String mode) {
        System.setProperty(DirectConvolutionForward.NHWC_PROPERTY, mode);
        int n = 2, h = 4, w = 5, o = 6, k = 3;
        Nd4j.getRandom().setSeed(c);
        INDArray x = Nd4j.randn(DataType.FLOAT, n, h, w, c);
        INDArray wt = Nd4j.randn(DataType.FLOAT, o, c, k, k);
        INDArray b = Nd4j.randn(DataType.FLOAT, o);
        INDArray a = Nd4j.create(DataType.FLOAT, n, h, w, o);
        new DirectConvolutionForward(x.shape(), wt.shape(), a.shape(), new int[]{1, 1}, new int[]{1, 1},
                new int[]{1, 1}, new int[]{1, 1}, true, true, true).run(x, wt, b, a);
        double worst = 0;
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < h; y++) {
                for (int z = 0; z < w; z++) {
                    for (int q = 0; q < o; q++) {
                        double sum = b.getDouble(q);
                        double abs = Math.abs(sum);
                        for (int p = 0; p < c; p++) {
                            for (int dy = 0; dy < k; dy++) {
                                for (int dz = 0; dz < k; dz++) {
                                    int yy = y + dy - 1, zz = z + dz - 1;
                                    if (yy >= 0 && yy < h && zz >= 0 && zz < w) {
                                        double t = wt.getDouble(q, p, dy, dz) * x.getDouble(i, yy, zz, p);
                                        sum += t;
                                        abs += Math.abs(t);
                                    }
                                }
                            }
                        }
                        double err = Math.abs(a.getDouble(i, y, z, q) - Math.max(sum, 0)) / abs;
                        worst = Math.max(worst, err);
                    }
                }
            }
        }
        assertEquals(0, worst, 1e-5, "largest error relative to the sum of |terms|");
    }
}
