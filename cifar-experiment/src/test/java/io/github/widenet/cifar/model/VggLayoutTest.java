package io.github.widenet.cifar.model;

import io.github.widenet.lazy.LazyWrapper;
import io.github.widenet.linearized.LinearizedWrapper;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The layout option, a network's layout as read back from it, and the NCHW → NHWC arrangement of images. */
class VggLayoutTest {

    private static MultiLayerNetwork vgg(CNN2DFormat format) {
        return vgg(format, false);
    }

    private static MultiLayerNetwork vgg(CNN2DFormat format, boolean ntk) {
        MultiLayerNetwork net = new MultiLayerNetwork(Vgg.configuration(Vgg.Spec.vgg11(16, ntk, 3), new Sgd(0.01),
                format));
        net.init();
        return net;
    }

    @Test
    void theOptionNamesBothLayouts() {
        assertEquals(CNN2DFormat.NHWC, VggLayout.parse("--layout", "nhwc"));
        assertEquals(CNN2DFormat.NCHW, VggLayout.parse("--layout", "NCHW"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VggLayout.parse("--layout", "chwn"));
        assertTrue(e.getMessage().contains("--layout") && e.getMessage().contains("chwn"), e.getMessage());
    }

    @Test
    void arrangeMovesTheChannelAxisLast() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 4, 5);
        INDArray y = VggLayout.arrange(x, CNN2DFormat.NHWC);
        assertArrayEquals(new long[]{2, 4, 5, 3}, y.shape());
        assertEquals('c', y.ordering());
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < 3; c++) {
                for (int h = 0; h < 4; h++) {
                    for (int w = 0; w < 5; w++) {
                        assertEquals(x.getFloat(n, c, h, w), y.getFloat(n, h, w, c), "at " + n + c + h + w);
                    }
                }
            }
        }
        assertTrue(x == VggLayout.arrange(x, CNN2DFormat.NCHW), "NCHW images are used as they are");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VggLayout.arrange(Nd4j.rand(DataType.FLOAT, 2, 3072), CNN2DFormat.NHWC));
        assertTrue(e.getMessage().contains("[2, 3072]"), e.getMessage());
    }

    @Test
    void aNetworksLayoutIsReadFromItsLayersAlsoThroughTheWrappers() {
        for (CNN2DFormat f : CNN2DFormat.values()) {
            MultiLayerNetwork net = vgg(f);
            assertEquals(f, VggLayout.of(net));
            assertEquals(f, VggLayout.of(LazyWrapper.wrap(net, 10)));
            assertEquals(f, VggLayout.of(LinearizedWrapper.builder().centred(true).wrap(net)));
        }
    }

    @Test
    void aNetworkMixingLayoutsIsNamedNotGuessed() {
        MultiLayerNetwork mixed = new MultiLayerNetwork(new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                .list()
                .layer(new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(3, 3).nIn(3).nOut(4)
                        .dataFormat(CNN2DFormat.NCHW).build())
                .layer(new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(3, 3).nIn(4).nOut(4)
                        .dataFormat(CNN2DFormat.NHWC).build())
                .layer(new org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer.Builder().build())
                .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder().nIn(4).nOut(2)
                        .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).build())
                .build());
        mixed.init();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VggLayout.of(mixed));
        assertTrue(e.getMessage().contains("mixes activation layouts"), e.getMessage());
    }

    /**
     * For 32×32 images the last maps are 1×1: both layouts hold the same parameters and compute the same function, and
     * the same parameter gradient (both parameterizations).
     */
    @Test
    void bothLayoutsStartFromTheSameParametersAndAgree() {
        for (boolean ntk : new boolean[]{false, true}) {
            MultiLayerNetwork nchw = vgg(CNN2DFormat.NCHW, ntk);
            MultiLayerNetwork nhwc = vgg(CNN2DFormat.NHWC, ntk);
            assertEquals(nchw.params(), nhwc.params(), "ntk " + ntk);
            INDArray x = Nd4j.rand(DataType.FLOAT, 5, 3, 32, 32);
            INDArray y = Nd4j.eye(10).getRows(1, 4, 4, 7, 9).castTo(DataType.FLOAT);
            INDArray a = nchw.output(x);
            INDArray xt = VggLayout.arrange(x, CNN2DFormat.NHWC);
            INDArray b = nhwc.output(xt);
            assertTrue(a.equalsWithEps(b, 1e-5), "ntk " + ntk + ": " + a + "\nvs\n" + b);
            assertTrue(!a.equalsWithEps(nhwc.output(x.permute(0, 3, 2, 1).dup('c')), 1e-3),
                    "images arranged with H and W swapped give other outputs: the check can fail");
            nchw.setInput(x);
            nchw.setLabels(y);
            nchw.computeGradientAndScore();
            nhwc.setInput(xt);
            nhwc.setLabels(y);
            nhwc.computeGradientAndScore();
            INDArray ga = nchw.gradient().gradient();
            INDArray gb = nhwc.gradient().gradient();
            double scale = ga.norm2Number().doubleValue();
            assertTrue(scale > 0);
            assertEquals(0, ga.sub(gb).norm2Number().doubleValue() / scale, 1e-4, "ntk " + ntk + ": gradients");
        }
    }
}
