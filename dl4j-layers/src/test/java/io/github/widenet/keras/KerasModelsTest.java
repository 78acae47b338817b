package io.github.widenet.keras;

import io.github.widenet.internal.wrap.InnerGraph;
import io.github.widenet.internal.wrap.LogitsModel;
import io.github.widenet.lazy.LazyWrapper;
import io.github.widenet.linearized.LinearizedLayerRuntime;
import io.github.widenet.linearized.LinearizedWrapper;
import io.github.widenet.ntk.EmpiricalNtk;
import io.github.widenet.testing.DoublePrecision;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.io.File;
import java.net.URISyntaxException;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keras 2 models imported with DL4J's {@code KerasModelImport} (HDF5 files in {@code src/test/resources/keras}, written by
 * {@code make_keras_models.py} there), in double, wrapped as a Keras user would: the import gives Dense(softmax) followed
 * by an identity LossLayer, so the logits must be z = W·h + b before the softmax (never the probabilities); Keras's
 * Dropout(rate 0.5) is ignored with {@code ignoreDropout(true)} and the Dropout(p = 1.0) Keras import puts on every other
 * layer is no dropout at all. Checked: lazy output exactly 0 at initialisation and one {@code fit} on 2 random inputs;
 * linearized J·d = central finite differences of the logits on random directions; the empirical NTK = J·Jᵀ with J built
 * column by column from the linearized model's tangent.
 */
@ExtendWith(DoublePrecision.class)
class KerasModelsTest {

    /**
     * A Keras file, the input shape (without the batch) its imported network takes, and whether it has a Keras Dropout
     * layer (rate 0.5: wrapped with {@code ignoreDropout(true)}; without one, the Dropout(p = 1.0) that Keras import
     * sets on every layer must not need it).
     */
    record Keras(String file, int[] shape, boolean dropout) {
        @Override
        public String toString() {
            return file;
        }
    }

    static Stream<Arguments> models() {
        return Stream.of(Arguments.of(new Keras("dense_softmax.h5", new int[]{5}, true)),
                Arguments.of(new Keras("conv_softmax.h5", new int[]{6, 6, 1}, false)));
    }

    /** The imported network, in double, with the file's weights. */
    static MultiLayerNetwork importDouble(String file) throws Exception {
        MultiLayerNetwork imported = KerasModelImport.importKerasSequentialModelAndWeights(path(file));
        MultiLayerConfiguration c = imported.getLayerWiseConfigurations().clone();
        c.setDataType(DataType.DOUBLE);
        MultiLayerNetwork net = new MultiLayerNetwork(c);
        net.init();
        net.setParams(imported.params().castTo(DataType.DOUBLE));
        return net;
    }

    private static String path(String file) throws URISyntaxException {
        return new File(KerasModelsTest.class.getResource("/keras/" + file).toURI()).getAbsolutePath();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void importedModelHasTheValuesBeforeTheSoftmaxAsLogits(Keras k) throws Exception {
        MultiLayerNetwork net = importDouble(k.file());
        int last = net.getnLayers() - 1;
        assertInstanceOf(LossLayer.class, net.getLayerWiseConfigurations().getConf(last).getLayer(), "Keras import");
        assertInstanceOf(DenseLayer.class, net.getLayerWiseConfigurations().getConf(last - 1).getLayer(), "Keras import");
        INDArray x = input(1, 2, k.shape());
        List<INDArray> acts = net.feedForward(x, false);
        // z = W·h + b of the last dense layer, h its input activation (after Keras's flatten preprocessor, if any)
        INDArray h = acts.get(last - 1);
        if (net.getLayerWiseConfigurations().getInputPreProcess(last - 1) != null) {
            h = net.getLayerWiseConfigurations().getInputPreProcess(last - 1).preProcess(h, 2,
                    org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
        }
        INDArray z = h.mmul(net.getLayer(last - 1).getParam("W")).addiRowVector(net.getLayer(last - 1).getParam("b"));
        INDArray logits = new InnerGraph(LogitsModel.of(net).logits(), net.params(), null).forward(x, false);
        assertEquals(0.0, logits.sub(z).amaxNumber().doubleValue(), 1e-12, k + ": logits = W·h + b");
        INDArray probabilities = net.output(x, false);
        assertEquals(0.0, Transforms.softmax(z, true).subi(probabilities).amaxNumber().doubleValue(), 1e-12,
                k + ": softmax(logits) = the network's output");
        assertTrue(logits.sub(probabilities).amaxNumber().doubleValue() > 1e-3, k + ": logits are not probabilities");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void lazyIsZeroAtInitAndFits(Keras k) throws Exception {
        MultiLayerNetwork net = importDouble(k.file());
        INDArray x = input(1, 2, k.shape());
        MultiLayerNetwork lazy = LazyWrapper.builder().alpha(10).ignoreDropout(k.dropout()).wrap(net);
        assertEquals(0.0, lazy.feedForwardToLayer(0, x, false).get(1).amaxNumber().doubleValue(), 0.0,
                k + ": lazy output at initialisation");
        lazy.fit(new DataSet(x, labels()));
        assertTrue(Double.isFinite(LazyWrapper.lazyLayer(lazy).params().sumNumber().doubleValue()), k + ": finite");
        INDArray moved = LazyWrapper.lazyLayer(lazy).params();
        assertTrue(moved.amaxNumber().doubleValue() > 0, k + ": parameters exist");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void linearizedTangentIsTheDerivativeAndNtkIsJJt(Keras k) throws Exception {
        MultiLayerNetwork net = importDouble(k.file());
        INDArray x = input(1, 2, k.shape());
        MultiLayerNetwork wrapped = LinearizedWrapper.builder().ignoreDropout(k.dropout()).wrap(net);
        wrapped.fit(new DataSet(x, labels()));
        LinearizedLayerRuntime l = LinearizedWrapper.linearizedLayer(wrapped);
        INDArray w0 = l.initial().dup();
        LogitsModel h = LogitsModel.of(net).withoutDropout(true);
        double worst = 0;
        for (int seed = 2; seed < 5; seed++) {
            INDArray d = input(seed, (int) w0.length());
            l.trainable().assign(w0.add(d));
            INDArray jvp = l.tangent(x).dup();
            double eps = 1e-6;
            INDArray plus = new InnerGraph(h.logits(), w0.add(d.mul(eps)), null).forward(x, false).dup();
            INDArray minus = new InnerGraph(h.logits(), w0.sub(d.mul(eps)), null).forward(x, false).dup();
            INDArray fd = plus.subi(minus).divi(2 * eps);
            double scale = jvp.amaxNumber().doubleValue();
            assertTrue(scale > 1e-3, k + ": the direction must change the logits");
            worst = Math.max(worst, fd.subi(jvp).amaxNumber().doubleValue() / scale);
        }
        System.out.println(k + ": max relative |J·d - central FD| = " + worst);
        assertTrue(worst < 1e-6, k + ": J·d vs finite differences, relative error " + worst);

        // Θ = J Jᵀ, J's columns the tangents along the basis directions e_p, rows i·K + k
        long p = w0.length();
        INDArray jac = Nd4j.create(DataType.DOUBLE, 2 * 3, p);
        for (int i = 0; i < p; i++) {
            INDArray e = w0.dup();
            e.putScalar(i, e.getDouble(i) + 1);
            l.trainable().assign(e);
            jac.getColumn(i).assign(l.tangent(x).reshape(6));
        }
        INDArray theta = EmpiricalNtk.of(net, 2).gram(x, EmpiricalNtk.Output.FULL);
        INDArray expected = jac.mmul(jac.transpose());
        double err = theta.sub(expected).amaxNumber().doubleValue() / expected.amaxNumber().doubleValue();
        System.out.println(k + ": max relative |Θ - J·Jᵀ| = " + err);
        assertTrue(err < 1e-10, k + ": NTK vs J·Jᵀ, relative error " + err);
    }

    private static INDArray labels() {
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 2, 3);
        y.putScalar(0, 0, 1.0);
        y.putScalar(1, 2, 1.0);
        return y;
    }

    private static INDArray input(long seed, int n, int... shape) {
        Nd4j.getRandom().setSeed(seed);
        long[] s = new long[shape.length + 1];
        s[0] = n;
        System.arraycopy(java.util.Arrays.stream(shape).asLongStream().toArray(), 0, s, 1, shape.length);
        return Nd4j.randn(DataType.DOUBLE, s);
    }
}
