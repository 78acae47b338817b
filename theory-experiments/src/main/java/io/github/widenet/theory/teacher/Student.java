package io.github.widenet.theory.teacher;

import io.github.widenet.layers.WidthScaledLayer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Random;

/**
 * The student: the project's {@link WidthScaledLayer} h(w, x) = m^(−p) Σ_i c_i max(w_i·x + b_i, 0) (d → m → 1, double
 * precision) with a square-loss {@link LossLayer}, trained by full-batch gradient descent on L = (1/2n)Σ(h − y)² with
 * step η. DL4J's MSE loss is (1/n)Σ(h − y)², whose gradient is twice L's, so the SGD learning rate is η/2.
 * <p>Symmetrised initialisation at scale τ (as in Chizat–Oyallon–Bach 2019): for i < m/2, w_i = τ·g_i with g_i ~ N(0, I_d),
 * c_i = τ·|ξ_i| with ξ_i ~ N(0, 1); unit i + m/2 copies w_i and takes −c_i; b = 0. So h(w0, ·) = 0 (up to rounding), and since h is
 * 2-homogeneous in (w, b, c), the initial scale τ acts like the lazy factor α = τ² of Chizat et al.
 * The layer's biases b_i are frozen at 0 (learning rate 0 on {@link #BIAS}), as in the reference's bias-free units; kernels
 * and κ must leave them out ({@link #FROZEN}).
 */
public final class Student {

    /** Flat-layout key of the (frozen) hidden biases. */
    public static final String BIAS = "0_" + WidthScaledLayer.BIAS_KEY;
    /** The frozen parameters, to exclude from kernels and κ. */
    public static final java.util.List<String> FROZEN = java.util.List.of(BIAS);

    private Student() {
    }

    /** An untrained network; set its parameters with {@link #initSymmetric}. */
    public static MultiLayerNetwork build(int d, int m, double exponent, double step) {
        if (m < 2 || m % 2 != 0) {
            throw new IllegalArgumentException("the symmetrised student needs an even number of units m >= 2, got " + m);
        }
        if (!(step > 0) || Double.isInfinite(step)) {
            throw new IllegalArgumentException("step size must be a finite value > 0, got " + step);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE).seed(0).updater(new Sgd(step / 2)).list()
                .layer(WidthScaledLayer.builder().nIn(d).units(m).nOut(1).scaleExponent(exponent)
                        .inputWeightStd(1.0).biasUpdater(new Sgd(0.0)).activation(Activation.RELU).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build())
                .build());
        net.init();
        return net;
    }

    /** Sets w, b, c to the symmetrised initialisation at scale τ, drawn from {@code rng}. */
    public static void initSymmetric(MultiLayerNetwork net, double tau, Random rng) {
        initMirrored(net, rng, (w, r) -> {
            for (int q = 0; q < w.length; q++) {
                w[q] = tau * r.nextGaussian();
            }
            return tau * Math.abs(r.nextGaussian());
        });
    }

    /**
     * The reference's initialisation (illustration.jl) at scale τ: for i < m/2, w_i = τ·g_i/‖g_i‖ (g_i ~ N(0, I_d), so
     * ‖w_i‖ = τ) and c_i = τ·u_i with u_i ~ Uniform[0, 1]; unit i + m/2 copies w_i and takes −c_i; b = 0.
     */
    public static void initReference(MultiLayerNetwork net, double tau, Random rng) {
        initMirrored(net, rng, (w, r) -> {
            double norm = 0;
            for (int q = 0; q < w.length; q++) {
                w[q] = r.nextGaussian();
                norm += w[q] * w[q];
            }
            norm = Math.sqrt(norm);
            for (int q = 0; q < w.length; q++) {
                w[q] = tau * w[q] / norm;
            }
            return tau * r.nextDouble();
        });
    }

    /** Draws unit i's input weights into {@code w} and returns its output weight c_i ≥ 0. */
    private interface HalfUnit {
        double draw(double[] w, Random rng);
    }

    /** Units i < m/2 from {@code unit}; unit i + m/2 copies w_i and takes −c_i; b = 0 (so h(w0, ·) = 0). */
    private static void initMirrored(MultiLayerNetwork net, Random rng, HalfUnit unit) {
        Layer block = net.getLayer(0);
        INDArray w = block.getParam(WidthScaledLayer.INPUT_WEIGHT_KEY);   // d × m
        INDArray c = block.getParam(WidthScaledLayer.OUTPUT_WEIGHT_KEY);  // m × 1
        int d = (int) w.size(0);
        int m = (int) w.size(1);
        double[][] wv = new double[d][m];
        double[][] cv = new double[m][1];
        double[] wi = new double[d];
        for (int i = 0; i < m / 2; i++) {
            double ci = unit.draw(wi, rng);
            for (int q = 0; q < d; q++) {
                wv[q][i] = wi[q];
                wv[q][i + m / 2] = wi[q];
            }
            cv[i][0] = ci;
            cv[i + m / 2][0] = -ci;
        }
        w.assign(Nd4j.createFromArray(wv));
        c.assign(Nd4j.createFromArray(cv));
        block.getParam(WidthScaledLayer.BIAS_KEY).assign(0);
    }

    /** Unit parameters as plain arrays: rows (w_i, b_i, c_i), m × (d + 2). */
    public static double[][] units(MultiLayerNetwork net) {
        Layer block = net.getLayer(0);
        double[][] w = block.getParam(WidthScaledLayer.INPUT_WEIGHT_KEY).toDoubleMatrix();
        double[] b = block.getParam(WidthScaledLayer.BIAS_KEY).toDoubleVector();
        double[] c = block.getParam(WidthScaledLayer.OUTPUT_WEIGHT_KEY).toDoubleVector();
        int d = w.length;
        int m = c.length;
        double[][] u = new double[m][d + 2];
        for (int i = 0; i < m; i++) {
            for (int q = 0; q < d; q++) {
                u[i][q] = w[q][i];
            }
            u[i][d] = b[i];
            u[i][d + 1] = c[i];
        }
        return u;
    }

    /** h(w, x_i) for every row of x. */
    public static double[] predict(MultiLayerNetwork net, INDArray x) {
        return net.output(x).reshape(-1).toDoubleVector();
    }
}
