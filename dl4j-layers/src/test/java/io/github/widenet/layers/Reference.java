package io.github.widenet.layers;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.function.DoubleUnaryOperator;

/** Independent plain-Java implementations of the layers' formulas, for comparison with the ND4J runtime. */
final class Reference {

    private Reference() {
    }

    static double[][] toArray(INDArray a) {
        double[][] out = new double[(int) a.size(0)][(int) a.size(1)];
        for (int i = 0; i < out.length; i++) {
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = a.getDouble(i, j);
            }
        }
        return out;
    }

    /** y[n][k] = s · Σ_i c[i][k] · σ(Σ_j x[n][j] w[j][i] + b[i]). */
    static double[][] widthScaled(double[][] x, double[][] w, double[] b, double[][] c, double s,
                                  DoubleUnaryOperator sigma) {
        int n = x.length, d = w.length, m = b.length, k = c[0].length;
        double[][] y = new double[n][k];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < m; i++) {
                double z = b[i];
                for (int j = 0; j < d; j++) {
                    z += x[r][j] * w[j][i];
                }
                double a = sigma.applyAsDouble(z);
                for (int o = 0; o < k; o++) {
                    y[r][o] += s * c[i][o] * a;
                }
            }
        }
        return y;
    }

    /** h[n][o] = σ(σ_w/√d · Σ_j x[n][j] w[j][o] + σ_b · b[o]). */
    static double[][] ntkDense(double[][] x, double[][] w, double[] b, double sigmaW, double sigmaB,
                               DoubleUnaryOperator sigma) {
        int n = x.length, d = w.length, k = w[0].length;
        double[][] y = new double[n][k];
        for (int r = 0; r < n; r++) {
            for (int o = 0; o < k; o++) {
                double z = 0;
                for (int j = 0; j < d; j++) {
                    z += x[r][j] * w[j][o];
                }
                y[r][o] = sigma.applyAsDouble(sigmaW / Math.sqrt(d) * z + sigmaB * b[o]);
            }
        }
        return y;
    }

    /**
     * Valid (no padding), stride-1 cross-correlation as DL4J computes it, NCHW:
     * z[n][o][i][j] = σ_w/√(C·kH·kW) Σ_{c,u,v} x[n][c][i+u][j+v] w[o][c][u][v] + σ_b b[o], then σ.
     */
    static double[][][][] ntkConv(double[][][][] x, double[][][][] w, double[] b, double sigmaW, double sigmaB,
                                  DoubleUnaryOperator sigma) {
        int n = x.length, ch = x[0].length, h = x[0][0].length, wd = x[0][0][0].length;
        int out = w.length, kh = w[0][0].length, kw = w[0][0][0].length;
        double scale = sigmaW / Math.sqrt(ch * kh * kw);
        double[][][][] y = new double[n][out][h - kh + 1][wd - kw + 1];
        for (int r = 0; r < n; r++) {
            for (int o = 0; o < out; o++) {
                for (int i = 0; i + kh <= h; i++) {
                    for (int j = 0; j + kw <= wd; j++) {
                        double z = 0;
                        for (int c = 0; c < ch; c++) {
                            for (int u = 0; u < kh; u++) {
                                for (int v = 0; v < kw; v++) {
                                    z += x[r][c][i + u][j + v] * w[o][c][u][v];
                                }
                            }
                        }
                        y[r][o][i][j] = sigma.applyAsDouble(scale * z + sigmaB * b[o]);
                    }
                }
            }
        }
        return y;
    }

    static double relu(double z) {
        return Math.max(0, z);
    }

    static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
