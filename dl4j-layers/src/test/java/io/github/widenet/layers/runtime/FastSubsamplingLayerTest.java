package io.github.widenet.layers.runtime;

import io.github.widenet.layers.FastSubsamplingLayer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.File;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * FastSubsamplingLayer against DL4J's SubsamplingLayer: identical outputs and input gradients (max pooling is exact,
 * so bit for bit on inputs without ties), the recorded winners used exactly where they apply, DL4J's path elsewhere.
 */
class FastSubsamplingLayerTest {

    private static Layer layer(boolean fast, SubsamplingLayer.PoolingType type, int k, int s, int pad, DataType dt) {
        return layer(fast, type, k, s, pad, dt, CNN2DFormat.NCHW);
    }

    private static Layer layer(boolean fast, SubsamplingLayer.PoolingType type, int k, int s, int pad, DataType dt,
                               CNN2DFormat format) {
        SubsamplingLayer.Builder b = fast ? new FastSubsamplingLayer.Builder(type) : new SubsamplingLayer.Builder(type);
        b.kernelSize(k, k).stride(s, s).padding(pad, pad).dataFormat(format);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(dt).list()
                .layer(b.build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY)
                        .build())
                .setInputType(InputType.convolutional(8, 8, 3, format))
                .build());
        net.init();
        return net.getLayer(0);
    }

    /** NHWC data: the same comparison on oneDNN's NHWC pooling. */
    @ParameterizedTest(name = "NHWC MAX {0}x{0} stride {1}")
    @CsvSource({"2, 2", "3, 1", "4, 4"})
    void nhwcEqualsDl4jsPooling(int k, int s) {
        Layer fast = layer(true, SubsamplingLayer.PoolingType.MAX, k, s, 0, DataType.FLOAT, CNN2DFormat.NHWC);
        Layer dl4j = layer(false, SubsamplingLayer.PoolingType.MAX, k, s, 0, DataType.FLOAT, CNN2DFormat.NHWC);
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        Nd4j.getRandom().setSeed(k * 10L + s);
        INDArray x = Nd4j.randn(DataType.FLOAT, 4, 8, 8, 3);
        INDArray yFast = fast.activate(x, true, ws);
        assertEquals(dl4j.activate(x, true, ws), yFast);
        INDArray eps = Nd4j.randn(DataType.FLOAT, yFast.shape());
        INDArray dxDl4j = dl4j.backpropGradient(eps.dup(), ws).getSecond();
        assertEquals(dxDl4j, fast.backpropGradient(eps.dup(), ws).getSecond());
        assertEquals(true, ((FastSubsamplingLayerRuntime) fast).lastBackwardReused());
    }

    @ParameterizedTest(name = "{0} {1}x{1} stride {2} pad {3}, {4}: direct={5}")
    @CsvSource({"MAX, 2, 2, 0, FLOAT, true", "MAX, 3, 1, 0, FLOAT, true", "MAX, 4, 4, 0, FLOAT, true",
            "MAX, 3, 2, 0, FLOAT, false",   // windows do not tile 8 exactly
            "MAX, 2, 2, 1, FLOAT, false", "AVG, 2, 2, 0, FLOAT, false", "MAX, 2, 2, 0, DOUBLE, false"})
    void equalsDl4jsPooling(SubsamplingLayer.PoolingType type, int k, int s, int pad, DataType dt, boolean direct) {
        Layer fast = layer(true, type, k, s, pad, dt);
        Layer dl4j = layer(false, type, k, s, pad, dt);
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        Nd4j.getRandom().setSeed(k * 10L + s);
        INDArray x = Nd4j.randn(dt, 4, 3, 8, 8);
        INDArray yFast = fast.activate(x, true, ws);
        INDArray yDl4j = dl4j.activate(x, true, ws);
        assertEquals(yDl4j, yFast);
        INDArray eps = Nd4j.randn(dt, yFast.shape());
        Pair<Gradient, INDArray> gFast = fast.backpropGradient(eps.dup(), ws);
        Pair<Gradient, INDArray> gDl4j = dl4j.backpropGradient(eps.dup(), ws);
        assertEquals(gDl4j.getSecond(), gFast.getSecond());
        assertEquals(direct, ((FastSubsamplingLayerRuntime) fast).lastBackwardReused());
    }

    @Test
    void backwardWithoutItsTrainingForwardIsDl4jsOwn() {
        Layer fast = layer(true, SubsamplingLayer.PoolingType.MAX, 2, 2, 0, DataType.FLOAT);
        Layer dl4j = layer(false, SubsamplingLayer.PoolingType.MAX, 2, 2, 0, DataType.FLOAT);
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        Nd4j.getRandom().setSeed(5);
        INDArray x1 = Nd4j.randn(DataType.FLOAT, 2, 3, 8, 8);
        INDArray x2 = Nd4j.randn(DataType.FLOAT, 2, 3, 8, 8);
        INDArray eps = Nd4j.randn(DataType.FLOAT, 2, 3, 4, 4);
        fast.activate(x1, true, ws);
        fast.setInput(x2, ws);
        INDArray got = fast.backpropGradient(eps.dup(), ws).getSecond();
        assertEquals(false, ((FastSubsamplingLayerRuntime) fast).lastBackwardReused());
        dl4j.activate(x2, true, ws);
        assertEquals(dl4j.backpropGradient(eps.dup(), ws).getSecond(), got);

        fast.activate(x1, false, ws);            // inference records nothing
        fast.backpropGradient(eps.dup(), ws);
        assertEquals(false, ((FastSubsamplingLayerRuntime) fast).lastBackwardReused());
    }

    @Test
    void trainsLikeDl4jInANetworkAndRoundTrips(@TempDir File dir) throws Exception {
        MultiLayerNetwork dl4j = convPoolNet(false);
        MultiLayerNetwork fast = convPoolNet(true);
        fast.setParams(dl4j.params());
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.randn(DataType.FLOAT, 6, 2, 8, 8);
        INDArray y = Nd4j.randn(DataType.FLOAT, 6, 3);
        for (int i = 0; i < 3; i++) {
            dl4j.fit(x, y);
            fast.fit(x, y);
            assertEquals(true, ((FastSubsamplingLayerRuntime) fast.getLayer(1)).lastBackwardReused());
        }
        assertEquals(0.0, fast.params().sub(dl4j.params()).amaxNumber().doubleValue(), 1e-6);

        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(fast.getLayerWiseConfigurations().toJson());
        assertEquals(fast.getLayerWiseConfigurations(), back);
        assertInstanceOf(FastSubsamplingLayer.class, back.getConf(1).getLayer());
        File file = new File(dir, "net.zip");
        ModelSerializer.writeModel(fast, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertInstanceOf(FastSubsamplingLayerRuntime.class, restored.getLayer(1));
        assertEquals(fast.output(x), restored.output(x));
    }

    private static MultiLayerNetwork convPoolNet(boolean fast) {
        SubsamplingLayer pool = (fast ? new FastSubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                : new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)).kernelSize(2, 2).stride(2, 2).build();
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(4)
                .dataType(DataType.FLOAT).updater(new Sgd(0.1)).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.TANH).build())
                .layer(pool)
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(3).activation(Activation.IDENTITY)
                        .build())
                .setInputType(InputType.convolutional(8, 8, 2))
                .build());
        net.init();
        return net;
    }
}
