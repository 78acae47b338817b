package io.github.widenet.internal.kernel;

import io.github.widenet.layers.MeanFieldLayer;
import io.github.widenet.layers.NtkLayer;
import io.github.widenet.layers.WidthScaledLayer;
import io.github.widenet.meanfield.MeanFieldTimeScale;
import io.github.widenet.sgd.InPlaceSgd;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ReluBlockKernels} against plain double loops written from the formulas (sizes with vector and block tails,
 * C a view at an offset inside a flat array, both the single-thread and the parallel sweep), and the layer with the
 * kernels against the layer on ND4J's ops ({@code widenet.kernels.disable}): outputs, gradients and
 * {@link InPlaceSgd} steps agree to float rounding (the size threshold set to 0 so that small layers take the kernels).
 * The build runs tests with {@code --add-modules
 * jdk.incubator.vector}, so the kernels must be available here.
 */
class ReluBlockKernelsTest {

    @BeforeEach
    void smallLayersToo() {
        System.setProperty(io.github.widenet.layers.WidenetSettings.Setting.KERNELS_MIN_VALUES.key(), "0");
    }

    @AfterEach
    void defaults() {
        System.clearProperty(io.github.widenet.layers.WidenetSettings.Setting.KERNELS_DISABLE.key());
        System.clearProperty(io.github.widenet.layers.WidenetSettings.Setting.KERNELS_MIN_VALUES.key());
    }

    @Test
    void paysFromTheThresholdOn() {
        System.clearProperty(io.github.widenet.layers.WidenetSettings.Setting.KERNELS_MIN_VALUES.key());
        assertFalse(ReluBlockKernels.pays(ReluBlockKernels.MIN_VALUES - 1));
        assertTrue(ReluBlockKernels.pays(ReluBlockKernels.MIN_VALUES));
        System.setProperty(io.github.widenet.layers.WidenetSettings.Setting.KERNELS_MIN_VALUES.key(), "10");
        assertTrue(ReluBlockKernels.pays(10));
    }

    @Test
    void availableInTheBuildsTests() {
        assertNull(ReluBlockKernels.problem());
        System.setProperty(io.github.widenet.layers.WidenetSettings.Setting.KERNELS_DISABLE.key(), "true");
        assertFalse(ReluBlockKernels.available());
        assertTrue(ReluBlockKernels.problem().contains(io.github.widenet.layers.WidenetSettings.Setting.KERNELS_DISABLE.key()));
    }

    @Test
    void matchLoopsFromTheFormulas() {
        check(7, 1037, 3, 0.25);      // one thread, tails: 1037 = 2·512 + 13 units, 13 = no full vector
        check(64, 3001, 10, 1e-3);     // parallel sweep (≥ 2¹⁶ values)
    }

    private static void check(int rows, int m, int k, double s) {
        Random rnd = new Random(rows * 31L + m);
        INDArray z = random(rnd, rows, m, 'c');
        INDArray b = random(rnd, 1, m, 'c');
        INDArray flat = random(rnd, 1, 5 + m * k, 'c');                  // C inside a flat parameter array
        INDArray c = flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(5, 5 + m * k)).reshape('f', m, k);
        INDArray eps = random(rnd, rows, k, 'f');
        INDArray a = Nd4j.createUninitialized(DataType.FLOAT, new long[]{rows, m}, 'c');
        ReluBlockKernels.biasRelu(z, b, a);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < m; j++) {
                assertEquals(Math.max(z.getDouble(r, j) + b.getDouble(j), 0.0), a.getDouble(r, j), 1e-6, "A");
            }
        }
        INDArray dz = Nd4j.createUninitialized(DataType.FLOAT, new long[]{rows, m}, 'c');
        INDArray gradB = Nd4j.createUninitialized(DataType.FLOAT, 1, m);
        INDArray gradC = Nd4j.createUninitialized(DataType.FLOAT, new long[]{m, k}, 'f');
        ReluBlockKernels.backward(a, eps, c, s, dz, gradB, gradC);
        double[] db = new double[m];
        double scale = 0;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < m; j++) {
                double dA = 0;
                double size = 0;
                for (int q = 0; q < k; q++) {
                    dA += s * eps.getDouble(r, q) * c.getDouble(j, q);
                    size += Math.abs(s * eps.getDouble(r, q) * c.getDouble(j, q));
                }
                double expected = a.getDouble(r, j) > 0 ? dA : 0.0;
                scale = Math.max(scale, size);
                assertEquals(expected, dz.getDouble(r, j), 1e-6 * size + 1e-30, "dZ at " + r + "," + j);
                db[j] += expected;
            }
        }
        for (int j = 0; j < m; j++) {
            assertEquals(db[j], gradB.getDouble(j), 1e-5 * rows * scale, "db at " + j);
            for (int q = 0; q < k; q++) {
                double g = 0;
                double size = 0;
                for (int r = 0; r < rows; r++) {
                    g += a.getDouble(r, j) * s * eps.getDouble(r, q);
                    size += Math.abs(a.getDouble(r, j) * s * eps.getDouble(r, q));
                }
                assertEquals(g, gradC.getDouble(j, q), 1e-6 * size + 1e-30, "dC at " + j + "," + q);
            }
        }
        assertTrue(a.sumNumber().doubleValue() > 0 && dz.amaxNumber().doubleValue() > 0, "a non-trivial case");
    }

    @Test
    void refusesArraysThatDoNotFit() {
        INDArray z = Nd4j.zeros(DataType.FLOAT, 3, 20);
        INDArray b = Nd4j.zeros(DataType.FLOAT, 1, 20);
        assertFalse(ReluBlockKernels.forwardFits(z.castTo(DataType.DOUBLE), b, z));
        assertFalse(ReluBlockKernels.forwardFits(z.dup('f'), b, z));
        assertFalse(ReluBlockKernels.forwardFits(z, Nd4j.zeros(DataType.FLOAT, 1, 19), z));
        INDArray c = Nd4j.zeros(DataType.FLOAT, 20, 4).dup('f');
        INDArray eps = Nd4j.zeros(DataType.FLOAT, 3, 4);
        assertTrue(ReluBlockKernels.backwardFits(z, eps, c, z.dup(), b, c.dup('f')));
        assertFalse(ReluBlockKernels.backwardFits(z, eps, c, z, b, c.dup('f')), "dZ may not be A");
        assertFalse(ReluBlockKernels.backwardFits(z, eps, c.dup('c'), z.dup(), b, c.dup('f')));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReluBlockKernels.biasRelu(z.dup('f'), b, z));
        assertTrue(e.getMessage().contains("do not fit"), e.getMessage());
    }

    private static MultiLayerNetwork net(WidthScaledLayer block) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5)
                .dataType(DataType.FLOAT).list()
                .layer(block)
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    private static WidthScaledLayer block(boolean meanField, int m) {
        WidthScaledLayer.Builder<?> b = meanField ? MeanFieldLayer.builder() : NtkLayer.builder();
        return b.nIn(13).units(m).nOut(5).activation(Activation.RELU).biasStd(0.5)
                .updater(meanField ? MeanFieldTimeScale.sgd(0.3, m) : new Sgd(0.3)).build();
    }

    @Test
    void layerGradientsAndStepsEqualTheNd4jPath() {
        for (boolean meanField : new boolean[]{true, false}) {
            int m = 2_000;                                        // 40 × 2,000 values: the parallel sweep
            DataSet batch = batch(40, 13, 5, 9);
            MultiLayerNetwork fused = net(block(meanField, m));
            MultiLayerNetwork plain = net(block(meanField, m));
            plain.setParams(fused.params().dup());

            INDArray outFused = fused.output(batch.getFeatures(), true);
            System.setProperty(io.github.widenet.layers.WidenetSettings.Setting.KERNELS_DISABLE.key(), "true");
            INDArray outPlain = plain.output(batch.getFeatures(), true);
            System.clearProperty(io.github.widenet.layers.WidenetSettings.Setting.KERNELS_DISABLE.key());
            assertClose(outPlain, outFused, 1e-5, "output");

            fused.setInput(batch.getFeatures());
            fused.setLabels(batch.getLabels());
            fused.computeGradientAndScore();
            Gradient gFused = fused.gradient();
            System.setProperty(io.github.widenet.layers.WidenetSettings.Setting.KERNELS_DISABLE.key(), "true");
            plain.setInput(batch.getFeatures());
            plain.setLabels(batch.getLabels());
            plain.computeGradientAndScore();
            Gradient gPlain = plain.gradient();
            System.clearProperty(io.github.widenet.layers.WidenetSettings.Setting.KERNELS_DISABLE.key());
            assertEquals(plain.score(), fused.score(), 1e-5);
            for (String key : new String[]{"0_W", "0_b", "0_C"}) {
                assertClose(gPlain.getGradientFor(key), gFused.getGradientFor(key), 1e-4, key);
            }

            INDArray initial = fused.params().dup();
            InPlaceSgd sgdFused = new InPlaceSgd(fused);
            InPlaceSgd sgdPlain = new InPlaceSgd(plain);
            for (int step = 0; step < 4; step++) {
                DataSet d = batch(step % 2 == 0 ? 40 : 17, 13, 5, 100 + step);
                sgdFused.fit(d);
                System.setProperty(io.github.widenet.layers.WidenetSettings.Setting.KERNELS_DISABLE.key(), "true");
                sgdPlain.fit(d);
                System.clearProperty(io.github.widenet.layers.WidenetSettings.Setting.KERNELS_DISABLE.key());
            }
            INDArray moveFused = fused.params().sub(initial);
            assertTrue(moveFused.amaxNumber().doubleValue() > 1e-2, "the steps moved the parameters");
            assertClose(plain.params().sub(initial), moveFused, 1e-3, (meanField ? "mean-field" : "NTK")
                    + " parameter change");
        }
    }

    private static void assertClose(INDArray expected, INDArray actual, double rel, String what) {
        double scale = expected.amaxNumber().doubleValue();
        double diff = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(scale > 0, what + ": a non-zero reference");
        assertTrue(diff <= rel * scale, what + ": max difference " + diff + " vs scale " + scale);
    }

    private static DataSet batch(int rows, int nIn, int classes, long seed) {
        Random rnd = new Random(seed);
        INDArray x = random(rnd, rows, nIn, 'c');
        INDArray y = Nd4j.zeros(DataType.FLOAT, rows, classes);
        for (int r = 0; r < rows; r++) {
            y.putScalar(r, rnd.nextInt(classes), 1f);
        }
        return new DataSet(x, y);
    }

    private static INDArray random(Random rnd, int rows, int cols, char order) {
        INDArray a = Nd4j.createUninitialized(DataType.FLOAT, new long[]{rows, cols}, order);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                a.putScalar(r, c, (float) rnd.nextGaussian());
            }
        }
        return a;
    }
}
