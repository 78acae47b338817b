package io.github.widenet.cifar.model;

import io.github.widenet.layers.NtkConvolutionLayer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class VggTest {

    /** Parameters of VGG-11 for 32×32 inputs with widths divided by k: 3×3 convs with bias, then 512/k → 10. */
    private static long expectedParams(int k) {
        int[] widths = {64, 128, 256, 256, 512, 512, 512, 512};
        long total = 0;
        int in = 3;
        for (int w : widths) {
            int out = w / k;
            total += (long) in * out * 9 + out;
            in = out;
        }
        return total + (long) in * 10 + 10;
    }

    @Test
    void vgg11HasTheStandardShapeAndParameterCount() {
        for (int k : new int[]{1, 8}) {
            MultiLayerNetwork net = new MultiLayerNetwork(Vgg.configuration(Vgg.Spec.vgg11(k, false, 1)));
            net.init();
            assertEquals(expectedParams(k), net.numParams(), "width divisor " + k);
        }
        MultiLayerNetwork small = new MultiLayerNetwork(Vgg.configuration(Vgg.Spec.vgg11(16, false, 1)));
        small.init();
        INDArray out = small.output(Nd4j.rand(2, 3, 32, 32));
        assertArrayEquals(new long[]{2, 10}, out.shape());
        assertEquals(2.0, out.sumNumber().doubleValue(), 1e-4, "softmax rows sum to one");
    }

    @Test
    void ntkVariantUsesNtkLayers() {
        MultiLayerConfiguration conf = Vgg.configuration(Vgg.Spec.vgg11(16, true, 1));
        assertInstanceOf(NtkConvolutionLayer.class, conf.getConf(0).getLayer());
        assertInstanceOf(ConvolutionLayer.class, conf.getConf(2).getLayer());
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        assertArrayEquals(new long[]{3, 10}, net.output(Nd4j.rand(3, 3, 32, 32)).shape());
        assertEquals("VGG-11/16 (NTK parameterization)", Vgg.Spec.vgg11(16, true, 1).describe());
    }

    @Test
    void rejectsDivisorsThatEmptyALayer() {
        assertThrows(IllegalArgumentException.class, () -> Vgg.Spec.vgg11(0, false, 1));
        assertThrows(IllegalArgumentException.class, () -> Vgg.Spec.vgg11(128, false, 1));
    }
}
