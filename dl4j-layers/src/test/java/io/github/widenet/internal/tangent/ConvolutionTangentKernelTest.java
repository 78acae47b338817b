package io.github.widenet.internal.tangent;

import io.github.widenet.internal.kernel.ReluBlockKernels;
import io.github.widenet.internal.kernel.TangentKernels;
import io.github.widenet.layers.NtkConvolutionLayer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The convolution tangent's fused float32 pass ({@link TangentKernels#affine}) against (a) the ND4J rule it replaces
 * (kernels switched off by {@code widenet.kernels.disable}): equal bit for bit up to the sign of masked zeros,
 * and (b) an independent reference, ż = s_w·(δW ⋆ x0 + W0 ⋆ ẋ) + s_b·δb masked by 1[h0 &gt; 0], by plain loops in
 * double — for NCHW and NHWC, ReLU and identity, with and without bias and input tangent, DL4J's and the NTK
 * convolution (s_w, s_b ≠ 1), odd channel counts (the kernel's scalar tail).
 */
class ConvolutionTangentKernelTest {

    @ParameterizedTest(name = "{0} {1} bias={2} xDot={3} ntk={4} c={5}")
    @CsvSource({
            "NHWC, RELU, true, true, false, 16",
            "NHWC, RELU, true, false, false, 16",
            "NHWC, IDENTITY, false, true, false, 16",
            "NHWC, RELU, true, true, true, 19",
            "NCHW, RELU, true, true, false, 16",
            "NCHW, RELU, true, true, true, 5",
            "NCHW, IDENTITY, true, false, true, 7"})
    void fusedPassEqualsTheNd4jRuleAndAPlainLoopReference(String format, String activation, boolean bias,
                                                          boolean withXDot, boolean ntk, int outChannels) {
        assertTrue(ReluBlockKernels.available(), "the Vector API kernels must be available in the tests: "
                + ReluBlockKernels.problem());
        boolean nhwc = format.equals("NHWC");
        int n = 3, cin = 4, h = 6, w = 5, k = 3;
        ConvolutionLayer.Builder b = ntk
                ? new NtkConvolutionLayer.Builder(k, k).sigmaW(1.7).sigmaB(0.3)
                : new ConvolutionLayer.Builder(k, k);
        ConvolutionLayer conf = (ConvolutionLayer) b.nIn(cin).nOut(outChannels).hasBias(bias)
                .convolutionMode(ConvolutionMode.Same).dataFormat(CNN2DFormat.valueOf(format))
                .activation(Activation.valueOf(activation)).build();
        NeuralNetConfiguration nnc = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).layer(conf).build();
        long numParams = nnc.getLayer().initializer().numParams(nnc);
        INDArray params = Nd4j.create(DataType.FLOAT, 1, numParams);
        Layer layer = nnc.getLayer().instantiate(nnc, null, 0, params, true, DataType.FLOAT);
        Nd4j.getRandom().setSeed(outChannels * 31L + (bias ? 1 : 0) + (withXDot ? 2 : 0));
        layer.getParam("W").assign(Nd4j.randn(DataType.FLOAT, layer.getParam("W").shape()));
        if (bias) {
            layer.getParam("b").assign(Nd4j.randn(DataType.FLOAT, layer.getParam("b").shape()));
        }
        INDArray x0 = Nd4j.randn(DataType.FLOAT, nhwc ? new long[]{n, h, w, cin} : new long[]{n, cin, h, w});
        INDArray xDot = withXDot ? Nd4j.randn(DataType.FLOAT, x0.shape()) : null;
        Map<String, INDArray> delta = new HashMap<>();
        delta.put("W", Nd4j.randn(DataType.FLOAT, layer.getParam("W").shape()));
        if (bias) {
            delta.put("b", Nd4j.randn(DataType.FLOAT, layer.getParam("b").shape()));
        }
        layer.setInput(x0, LayerWorkspaceMgr.noWorkspaces());
        INDArray h0 = layer.activate(false, LayerWorkspaceMgr.noWorkspaces()).dup();

        assertTrue(TangentKernels.affineFits(h0.dup(), xDot == null ? null : h0.dup(), delta.get("b"),
                activation.equals("RELU") ? h0 : null, nhwc), "the fused pass applies to these arrays");
        INDArray fused = new ConvolutionTangent().pushForward(layer, x0, h0, xDot, delta);
        INDArray nd4j;
        String before = System.getProperty(io.github.widenet.layers.WidenetSettings.Setting.KERNELS_DISABLE.key());
        System.setProperty(io.github.widenet.layers.WidenetSettings.Setting.KERNELS_DISABLE.key(), "true");
        try {
            nd4j = new ConvolutionTangent().pushForward(layer, x0, h0, xDot, delta);
        } finally {
            if (before == null) {
                System.clearProperty(io.github.widenet.layers.WidenetSettings.Setting.KERNELS_DISABLE.key());
            } else {
                System.setProperty(io.github.widenet.layers.WidenetSettings.Setting.KERNELS_DISABLE.key(), before);
            }
        }
        float[] f = fused.dup('c').data().asFloat();
        float[] g = nd4j.dup('c').data().asFloat();
        for (int i = 0; i < f.length; i++) {
            assertEquals(g[i] + 0f, f[i] + 0f, 0f, "element " + i + " differs from the ND4J rule");   // +0f: −0 == 0
        }

        double sw = ntk ? ((NtkConvolutionLayer) conf).weightScale() : 1;
        double sb = ntk ? 0.3 : 1;
        double[][][][] ref = reference(nchw(x0, nhwc), xDot == null ? null : nchw(xDot, nhwc),
                layer.getParam("W"), delta.get("W"), bias ? delta.get("b") : null, sw, sb, k);
        INDArray h0Nchw = nhwc ? h0.permute(0, 3, 1, 2) : h0;
        INDArray gotNchw = nhwc ? fused.permute(0, 3, 1, 2) : fused;
        double maxErr = 0;
        double scale = 0;
        for (int a = 0; a < n; a++) {
            for (int o = 0; o < outChannels; o++) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        double want = ref[a][o][i][j];
                        if (activation.equals("RELU") && !(h0Nchw.getDouble(a, o, i, j) > 0)) {
                            want = 0;
                        }
                        maxErr = Math.max(maxErr, Math.abs(gotNchw.getDouble(a, o, i, j) - want));
                        scale = Math.max(scale, Math.abs(want));
                    }
                }
            }
        }
        assertTrue(scale > 0.1, "the reference tangent is not trivially zero");
        assertTrue(maxErr <= 1e-5 * scale, "max deviation from the plain-loop reference " + maxErr + " (scale " + scale + ")");
    }

    @Test
    void refusesArraysItCannotTakeWithAMessage() {
        INDArray z = Nd4j.create(DataType.DOUBLE, 2, 3, 4, 5);
        assertEquals(false, TangentKernels.affineFits(z, null, null, null, true));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TangentKernels.affine(z, null, 1, null, 1, null, true));
        assertTrue(e.getMessage().contains("[2, 3, 4, 5]"), e.getMessage());
    }

    private static double[][][][] nchw(INDArray a, boolean nhwc) {
        INDArray x = (nhwc ? a.permute(0, 3, 1, 2) : a).castTo(DataType.DOUBLE).dup('c');
        long[] s = x.shape();
        double[][][][] out = new double[(int) s[0]][(int) s[1]][(int) s[2]][(int) s[3]];
        for (int i = 0; i < s[0]; i++) {
            for (int c = 0; c < s[1]; c++) {
                for (int y = 0; y < s[2]; y++) {
                    for (int z = 0; z < s[3]; z++) {
                        out[i][c][y][z] = x.getDouble(i, c, y, z);
                    }
                }
            }
        }
        return out;
    }

    /** sw·(δW ⋆ x0 + W0 ⋆ ẋ) + sb·δb, stride 1, Same padding (k odd: (k − 1)/2 each side), W as [oC, iC, k, k]. */
    private static double[][][][] reference(double[][][][] x0, double[][][][] xDot, INDArray w0, INDArray dw, INDArray db,
                                            double sw, double sb, int k) {
        int n = x0.length, cin = x0[0].length, h = x0[0][0].length, w = x0[0][0][0].length;
        int cout = (int) w0.size(0);
        int pad = (k - 1) / 2;
        double[][][][] out = new double[n][cout][h][w];
        for (int a = 0; a < n; a++) {
            for (int o = 0; o < cout; o++) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        double s = 0;
                        for (int c = 0; c < cin; c++) {
                            for (int u = 0; u < k; u++) {
                                for (int v = 0; v < k; v++) {
                                    int y = i + u - pad;
                                    int z = j + v - pad;
                                    if (y < 0 || z < 0 || y >= h || z >= w) {
                                        continue;
                                    }
                                    s += dw.getDouble(o, c, u, v) * x0[a][c][y][z];
                                    if (xDot != null) {
                                        s += w0.getDouble(o, c, u, v) * xDot[a][c][y][z];
                                    }
                                }
                            }
                        }
                        out[a][o][i][j] = sw * s + (db == null ? 0 : sb * db.getDouble(o));
                    }
                }
            }
        }
        return out;
    }
}
