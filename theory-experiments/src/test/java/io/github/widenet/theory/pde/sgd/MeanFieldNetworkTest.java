package io.github.widenet.theory.pde.sgd;

import io.github.widenet.layers.MeanFieldLayer;
import io.github.widenet.layers.WidthScaledLayer;
import io.github.widenet.theory.pde.MixtureTask;
import io.github.widenet.theory.pde.PiecewiseLinearSigma;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DL4J side: σ as an activation (values, exact derivative, DL4J gradient check in double away from the kinks,
 * JSON), the network's output against plain loops, and one minibatch step against the online-SGD formula
 * w_i ← w_i + 2ε Σ_b (y_b − f(x_b)) σ'(⟨w_i, x_b⟩) x_b, with C and b frozen.
 */
class MeanFieldNetworkTest {

    private static final PiecewiseLinearSigma SIGMA = PiecewiseLinearSigma.PAPER;
    private static DataType previous;

    @BeforeAll
    static void doubles() {
        previous = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restore() {
        Nd4j.setDefaultDataTypes(previous, previous);
    }

    @Test
    void activationValuesAndDerivativeMatchTheFormula() {
        double[] z = {-3, 0.2, 0.5001, 0.7, 1.0, 1.4999, 1.6, 9};
        PiecewiseLinearActivation act = new PiecewiseLinearActivation(SIGMA);
        INDArray out = act.getActivation(Nd4j.createFromArray(z).reshape(1, z.length), true);
        INDArray eps = Nd4j.createFromArray(new double[]{1, 2, 3, 4, 5, 6, 7, 8}).reshape(1, z.length);
        INDArray grad = act.backprop(Nd4j.createFromArray(z).reshape(1, z.length), eps).getFirst();
        for (int i = 0; i < z.length; i++) {
            assertEquals(SIGMA.value(z[i]), out.getDouble(0, i), 1e-12);
            assertEquals(SIGMA.derivative(z[i]) * (i + 1), grad.getDouble(0, i), 1e-9);
        }
    }

    @Test
    void gradientCheckAwayFromTheKinks() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .dataType(DataType.DOUBLE).updater(new NoOp()).list()
                .layer(MeanFieldLayer.builder().nIn(6).units(15).nOut(1).activation(new PiecewiseLinearActivation(SIGMA))
                        .inputWeightStd(0.8).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build())
                .build());
        net.init();
        DataSet data = new MixtureSampler(new MixtureTask(0.8, 6), 9).batch(0, 8);
        INDArray z = data.getFeatures().mmul(net.getLayer(0).getParam(WidthScaledLayer.INPUT_WEIGHT_KEY));
        double minDistance = Double.POSITIVE_INFINITY;
        int inside = 0;
        for (double v : z.reshape(z.length()).toDoubleVector()) {
            minDistance = Math.min(minDistance, Math.min(Math.abs(v - SIGMA.t1()), Math.abs(v - SIGMA.t2())));
            inside += SIGMA.derivative(v) != 0 ? 1 : 0;
        }
        assertTrue(minDistance > 1e-4, "a pre-activation is within 1e-4 of a kink: " + minDistance);
        assertTrue(inside >= 5, "too few pre-activations between the kinks to test σ': " + inside);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net)
                .input(data.getFeatures()).labels(data.getLabels()).epsilon(1e-6).maxRelError(1e-5)
                .minAbsoluteError(1e-9)));
    }

    @Test
    void configurationRoundTripsThroughJson() {
        MultiLayerNetwork net = MeanFieldNetwork.create(5, 7, SIGMA, 0.8, 1e-3, 4, 1);
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(net.getLayerWiseConfigurations().toJson());
        assertEquals(net.getLayerWiseConfigurations(), back);
    }

    @Test
    void outputIsTheMeanOfTheUnits() {
        int d = 5;
        int n = 9;
        MultiLayerNetwork net = MeanFieldNetwork.create(d, n, SIGMA, 0.8, 1e-3, 4, 2);
        DataSet data = new MixtureSampler(new MixtureTask(0.8, d), 1).batch(0, 6);
        double[][] w = net.getLayer(0).getParam(WidthScaledLayer.INPUT_WEIGHT_KEY).toDoubleMatrix();
        double[] f = net.output(data.getFeatures()).toDoubleVector();
        for (int b = 0; b < 6; b++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += SIGMA.value(pre(w, data.getFeatures().getRow(b).toDoubleVector(), i)) / n;
            }
            assertEquals(s, f[b], 1e-12);
        }
    }

    /** One minibatch of B at time-per-sample ε is the sum of B online steps of size ε taken at the same point. */
    @Test
    void minibatchStepIsBOnlineStepsOfEpsAndReadoutStaysFrozen() {
        int d = 6;
        int n = 20;
        int batch = 8;
        double eps = 1e-3;
        MultiLayerNetwork net = MeanFieldNetwork.create(d, n, SIGMA, 1.5, eps, batch, 4);
        DataSet data = new MixtureSampler(new MixtureTask(0.8, d), 2).batch(0, batch);
        double[][] w = net.getLayer(0).getParam(WidthScaledLayer.INPUT_WEIGHT_KEY).toDoubleMatrix();
        double[][] x = data.getFeatures().toDoubleMatrix();
        double[] y = data.getLabels().toDoubleVector();
        double[][] expected = new double[d][n];
        int active = 0;
        for (int j = 0; j < d; j++) {
            expected[j] = w[j].clone();
        }
        for (int b = 0; b < batch; b++) {
            double f = 0;
            for (int i = 0; i < n; i++) {
                f += SIGMA.value(pre(w, x[b], i)) / n;
            }
            for (int i = 0; i < n; i++) {
                double ds = SIGMA.derivative(pre(w, x[b], i));
                active += ds != 0 ? 1 : 0;
                for (int j = 0; j < d; j++) {
                    expected[j][i] += 2 * eps * (y[b] - f) * ds * x[b][j];
                }
            }
        }
        assertTrue(active > 10, "too few active units to test the update: " + active);
        net.fit(data);
        double[][] after = net.getLayer(0).getParam(WidthScaledLayer.INPUT_WEIGHT_KEY).toDoubleMatrix();
        double moved = 0;
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < n; i++) {
                assertEquals(expected[j][i], after[j][i], 1e-12);
                moved = Math.max(moved, Math.abs(after[j][i] - w[j][i]));
            }
        }
        assertTrue(moved > 1e-4, "the step did not move W");
        for (int k = 1; k < 5; k++) {
            net.fit(new MixtureSampler(new MixtureTask(0.8, d), 2).batch(k, batch));
        }
        assertEquals(n, net.getLayer(0).getParam(WidthScaledLayer.OUTPUT_WEIGHT_KEY).sumNumber().doubleValue(), 0);
        assertEquals(n, net.getLayer(0).getParam(WidthScaledLayer.OUTPUT_WEIGHT_KEY).norm2Number().doubleValue()
                * Math.sqrt(n), 1e-9);
        assertEquals(0, net.getLayer(0).getParam(WidthScaledLayer.BIAS_KEY).norm1Number().doubleValue(), 0);
    }

    /**
     * Online SGD with B = 1 over the same samples differs from one minibatch step by O(ε²B²) (plus rare kink crossings):
     * relative to the step, the gap shrinks at least linearly with ε.
     */
    @Test
    void onlineAndMinibatchStepsAgreeAsEpsShrinks() {
        int d = 6;
        int n = 20;
        int batch = 16;
        double[] relative = new double[2];
        double[] epsilons = {4e-5, 1e-5};
        for (int e = 0; e < 2; e++) {
            double eps = epsilons[e];
            MultiLayerNetwork online = MeanFieldNetwork.create(d, n, SIGMA, 1.5, eps, 1, 4);
            MultiLayerNetwork mini = MeanFieldNetwork.create(d, n, SIGMA, 1.5, eps, batch, 4);
            DataSet data = new MixtureSampler(new MixtureTask(0.8, d), 2).batch(0, batch);
            mini.fit(data);
            for (int b = 0; b < batch; b++) {
                online.fit(new DataSet(data.getFeatures().getRow(b, true), data.getLabels().getRow(b, true)));
            }
            INDArray w0 = MeanFieldNetwork.create(d, n, SIGMA, 1.5, eps, batch, 4).getLayer(0).getParam("W");
            double step = mini.getLayer(0).getParam("W").sub(w0).norm2Number().doubleValue();
            double gap = mini.getLayer(0).getParam("W").sub(online.getLayer(0).getParam("W")).norm2Number()
                    .doubleValue();
            relative[e] = gap / step;
            assertTrue(gap < 0.05 * step, "eps=" + eps + ": online vs minibatch gap " + gap + ", step " + step);
        }
        assertTrue(relative[1] < relative[0] / 3, "relative gap must shrink with eps: " + relative[0] + " -> "
                + relative[1]);
    }

    private static double pre(double[][] w, double[] x, int unit) {
        double s = 0;
        for (int j = 0; j < x.length; j++) {
            s += w[j][unit] * x[j];
        }
        return s;
    }
}
