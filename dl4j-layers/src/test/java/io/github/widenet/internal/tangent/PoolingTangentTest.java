package io.github.widenet.internal.tangent;

import io.github.widenet.testing.DoublePrecision;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The max-pool tangent against a brute-force reference (ẋ at the first maximum of x0 over each window's cells inside the
 * input), on all-negative inputs so that reading padding as 0 instead of −∞ would pick padded cells — for overlapping,
 * padded, Same-mode (asymmetric padding), dilated and channels-last windows.
 */
@ExtendWith(DoublePrecision.class)
class PoolingTangentTest {

    @ParameterizedTest(name = "k{0} s{1} p{2} d{3} {4} {5}")
    @CsvSource({
            "3, 2, 1, 1, Truncate, NCHW",
            "2, 2, 0, 1, Truncate, NCHW",
            "2, 2, 0, 1, Truncate, NHWC",
            "2, 3, 0, 1, Same, NCHW",
            "2, 1, 0, 1, Same, NCHW",
            "3, 2, 0, 1, Same, NCHW",
            "2, 1, 1, 2, Truncate, NCHW",
            "3, 2, 1, 1, Truncate, NHWC"})
    void maxPoolTangentPicksTheArgmaxCellOfEachWindow(int k, int s, int p, int d, String mode, String format) {
        boolean nhwc = format.equals("NHWC");
        SubsamplingLayer conf = new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(k, k)
                .stride(s, s).padding(p, p).dilation(d, d).convolutionMode(ConvolutionMode.valueOf(mode))
                .dataFormat(CNN2DFormat.valueOf(format)).build();
        NeuralNetConfiguration nnc = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).layer(conf).build();
        Layer layer = nnc.getLayer().instantiate(nnc, null, 0, null, false, DataType.DOUBLE);
        Nd4j.getRandom().setSeed(k * 100 + s * 10 + p + d);
        long n = 2, c = 3, h = 6, w = 5;
        INDArray x0 = Nd4j.rand(DataType.DOUBLE, n, c, h, w).addi(0.1).negi();          // all negative
        INDArray xDot = Nd4j.randn(DataType.DOUBLE, n, c, h, w);
        INDArray h0 = layer.activate(nhwc ? x0.permute(0, 2, 3, 1).dup() : x0, false, LayerWorkspaceMgr.noWorkspaces());
        INDArray got = new PoolingTangent().pushForward(layer, nhwc ? x0.permute(0, 2, 3, 1).dup() : x0, h0,
                nhwc ? xDot.permute(0, 2, 3, 1).dup() : xDot, Map.of());
        if (nhwc) {
            got = got.permute(0, 3, 1, 2);
            h0 = h0.permute(0, 3, 1, 2);
        }
        long oh = h0.size(2);
        long ow = h0.size(3);
        // top-left padding as DL4J computes it (Same mode: half of the total, rounded down)
        long padH = p;
        long padW = p;
        if (mode.equals("Same")) {
            padH = Math.max(0, ((oh - 1) * s + (long) (k - 1) * d + 1 - h) / 2);
            padW = Math.max(0, ((ow - 1) * s + (long) (k - 1) * d + 1 - w) / 2);
        }
        INDArray expected = Nd4j.create(DataType.DOUBLE, n, c, oh, ow);
        INDArray expectedMax = Nd4j.create(DataType.DOUBLE, n, c, oh, ow);
        for (int a = 0; a < n; a++) {
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double best = Double.NEGATIVE_INFINITY;
                        double pick = Double.NaN;
                        for (int u = 0; u < k; u++) {
                            for (int v = 0; v < k; v++) {
                                long r = i * s - padH + (long) u * d;
                                long q = j * s - padW + (long) v * d;
                                if (r < 0 || q < 0 || r >= h || q >= w) {
                                    continue;
                                }
                                double val = x0.getDouble(a, ch, r, q);
                                if (val > best) {
                                    best = val;
                                    pick = xDot.getDouble(a, ch, r, q);
                                }
                            }
                        }
                        expected.putScalar(new long[]{a, ch, i, j}, pick);
                        expectedMax.putScalar(new long[]{a, ch, i, j}, best);
                    }
                }
            }
        }
        assertEquals(expectedMax, h0, "the reference windows must be DL4J's own (primal max)");
        assertArrayEquals(expected.shape(), got.shape());
        assertEquals(0.0, got.sub(expected).amaxNumber().doubleValue(), 0.0);
    }
}
