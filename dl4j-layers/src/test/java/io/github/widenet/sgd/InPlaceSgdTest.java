package io.github.widenet.sgd;

import io.github.widenet.layers.MeanFieldLayer;
import io.github.widenet.layers.NtkLayer;
import io.github.widenet.layers.WidthScaledLayer;
import io.github.widenet.meanfield.MeanFieldTimeScale;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link InPlaceSgd} takes the same steps as {@code net.fit} with DL4J's own updater (the reference: DL4J's loss,
 * minibatch division and SGD applied to the layer's exact gradients), in double to 1e-12 and in float to rounding, for
 * both scalings, a schedule and {@code miniBatch(false)}; it never creates DL4J's gradient array; it refuses what it
 * cannot do.
 */
class InPlaceSgdTest {

    private static MultiLayerNetwork net(DataType type, WidthScaledLayer block, boolean miniBatch) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(type).miniBatch(miniBatch)
                .list()
                .layer(block)
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static WidthScaledLayer meanField(int m, IUpdater updater) {
        return MeanFieldLayer.builder().nIn(7).units(m).nOut(4).activation(Activation.RELU).biasStd(0.5)
                .inputGradient(false).updater(updater).build();
    }

    private static DataSet batch(DataType type, long seed, int rows) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.randn(type, rows, 7);
        INDArray y = Nd4j.zeros(type, rows, 4);
        for (int i = 0; i < rows; i++) {
            y.putScalar(i, (i * 3 + seed) % 4, 1.0);
        }
        return new DataSet(x, y);
    }

    /** Trains a copy with net.fit and the original with InPlaceSgd; returns the largest parameter difference. */
    private static double maxDifference(MultiLayerNetwork net, DataType type, int steps) {
        MultiLayerNetwork reference = net.clone();
        INDArray initial = net.params().dup();
        InPlaceSgd sgd = new InPlaceSgd(net);
        for (int i = 0; i < steps; i++) {
            DataSet d = batch(type, i, 9 + i % 3);
            reference.fit(d);
            double score = sgd.fit(d);
            assertEquals(reference.score(), score, 1e-6 * Math.max(1, Math.abs(score)), "score of step " + i);
            assertEquals(reference.score(), net.score(), 1e-6 * Math.max(1, Math.abs(score)));
        }
        assertEquals(reference.getIterationCount(), net.getIterationCount());
        assertTrue(net.params().sub(initial).amaxNumber().doubleValue() > 1e-4, "training moved no parameter");
        return net.params().sub(reference.params()).amaxNumber().doubleValue();
    }

    @Test
    void sameStepsAsFitInDouble() {
        int m = 30;
        MultiLayerNetwork mf = net(DataType.DOUBLE, meanField(m, MeanFieldTimeScale.sgd(0.4, m)), true);
        assertTrue(maxDifference(mf, DataType.DOUBLE, 6) < 1e-12);

        MultiLayerNetwork ntk = net(DataType.DOUBLE, NtkLayer.builder().nIn(7).units(m).nOut(4)
                .activation(Activation.TANH).inputGradient(false).updater(new Sgd(0.3)).build(), true);
        assertTrue(maxDifference(ntk, DataType.DOUBLE, 6) < 1e-12);
    }

    @Test
    void schedulesAndNoMinibatchDivisionFollowDl4j() {
        int m = 25;
        IUpdater scheduled = MeanFieldTimeScale.scale(new Sgd(new StepSchedule(ScheduleType.ITERATION, 0.5, 0.3, 2)), m);
        MultiLayerNetwork net = net(DataType.DOUBLE, meanField(m, scheduled), true);
        assertTrue(maxDifference(net, DataType.DOUBLE, 7) < 1e-12);
        MultiLayerNetwork noDivision = net(DataType.DOUBLE, meanField(m, MeanFieldTimeScale.sgd(0.05, m)), false);
        assertTrue(maxDifference(noDivision, DataType.DOUBLE, 4) < 1e-12);
    }

    @Test
    void aWideBlockTakesTheOtherRowSumPath() {
        int m = 25_000;                            // 90 × 25,000 > ROW_SUM_AS_PRODUCT_MAX: ND4J's sum, not 1ᵀ·∂L/∂Z
        assertTrue(90L * m > io.github.widenet.layers.runtime.WidthScaledLayerRuntime.ROW_SUM_AS_PRODUCT_MAX);
        MultiLayerNetwork net = net(DataType.DOUBLE, meanField(m, MeanFieldTimeScale.sgd(0.3, m)), true);
        MultiLayerNetwork reference = net.clone();
        InPlaceSgd sgd = new InPlaceSgd(net);
        for (int i = 0; i < 3; i++) {
            DataSet d = batch(DataType.DOUBLE, i, 90);
            reference.fit(d);
            sgd.fit(d);
        }
        assertTrue(net.params().sub(reference.params()).amaxNumber().doubleValue() < 1e-12);
    }

    @Test
    void floatStepsAgreeToRounding() {
        int m = 200;
        MultiLayerNetwork net = net(DataType.FLOAT, meanField(m, MeanFieldTimeScale.sgd(0.2, m)), true);
        double scale = net.params().amaxNumber().doubleValue();
        assertTrue(maxDifference(net, DataType.FLOAT, 5) < 1e-5 * scale);
    }

    @Test
    void noGradientArrayAndTheModelStaysADl4jModel() throws Exception {
        int m = 20;
        MultiLayerNetwork net = net(DataType.DOUBLE, meanField(m, MeanFieldTimeScale.sgd(0.3, m)), true);
        List<Integer> iterations = new ArrayList<>();
        net.setListeners(new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                iterations.add(iteration);
            }
        });
        InPlaceSgd sgd = new InPlaceSgd(net);
        for (int i = 0; i < 3; i++) {
            sgd.fit(batch(DataType.DOUBLE, i, 8));
        }
        assertEquals(List.of(0, 1, 2), iterations);
        assertNull(net.getGradientsViewArray(), "InPlaceSgd must not create DL4J's flattened gradient array");
        DataSet floats = batch(DataType.FLOAT, 5, 8);                 // float data into a double network, as fit takes it
        MultiLayerNetwork viaFitFloat = net.clone();
        viaFitFloat.fit(floats);
        sgd.fit(floats);
        assertTrue(net.params().sub(viaFitFloat.params()).amaxNumber().doubleValue() < 1e-12);
        assertEquals(List.of(0, 1, 2, 3), iterations);
        assertEquals(4, net.getIterationCount());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()),
                true);
        assertEquals(net.params(), restored.params());
        DataSet d = batch(DataType.DOUBLE, 11, 8);
        MultiLayerNetwork viaFit = restored.clone();
        viaFit.fit(d);
        new InPlaceSgd(restored).fit(d);
        assertTrue(restored.params().sub(viaFit.params()).amaxNumber().doubleValue() < 1e-12);
    }

    @Test
    void refusesWhatItCannotDo() {
        int m = 10;
        IllegalArgumentException adam = assertThrows(IllegalArgumentException.class,
                () -> new InPlaceSgd(net(DataType.DOUBLE, meanField(m, new Adam(1e-3)), true)));
        assertTrue(adam.getMessage().contains("Adam"), adam.getMessage());

        IllegalArgumentException l2 = assertThrows(IllegalArgumentException.class, () -> new InPlaceSgd(net(
                DataType.DOUBLE, MeanFieldLayer.builder().nIn(7).units(m).nOut(4).l2(1e-3).updater(new Sgd(0.1)).build(),
                true)));
        assertTrue(l2.getMessage().contains("regularization"), l2.getMessage());

        IllegalArgumentException clip = assertThrows(IllegalArgumentException.class, () -> new InPlaceSgd(net(
                DataType.DOUBLE, MeanFieldLayer.builder().nIn(7).units(m).nOut(4).updater(new Sgd(0.1))
                        .gradientNormalization(GradientNormalization.ClipL2PerLayer).build(), true)));
        assertTrue(clip.getMessage().contains("ClipL2PerLayer"), clip.getMessage());

        MultiLayerNetwork dense = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().updater(new Sgd(0.1)).list()
                .layer(new DenseLayer.Builder().nIn(7).nOut(5).build())
                .layer(new OutputLayer.Builder().nIn(5).nOut(4).build()).build());
        IllegalArgumentException stack = assertThrows(IllegalArgumentException.class, () -> new InPlaceSgd(dense));
        assertTrue(stack.getMessage().contains("[DenseLayer, OutputLayer]"), stack.getMessage());

        InPlaceSgd sgd = new InPlaceSgd(net(DataType.DOUBLE, meanField(m, new Sgd(0.1)), true));
        DataSet masked = batch(DataType.DOUBLE, 1, 6);
        masked.setLabelsMaskArray(Nd4j.ones(DataType.DOUBLE, 6, 1));
        IllegalArgumentException mask = assertThrows(IllegalArgumentException.class, () -> sgd.fit(masked));
        assertTrue(mask.getMessage().contains("mask"), mask.getMessage());
        DataSet ragged = new DataSet(Nd4j.randn(DataType.DOUBLE, 6, 7), Nd4j.zeros(DataType.DOUBLE, 5, 4));
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class, () -> sgd.fit(ragged));
        assertTrue(rows.getMessage().contains("6 feature rows but 5 label rows"), rows.getMessage());
    }
}
