package io.github.widenet.cifar;

import io.github.widenet.cifar.model.Vgg;
import io.github.widenet.nd4j.OneDnn;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The oneDNN path (nd4j-native's oneDNN build + DL4J's layer helpers, enabled by {@link OneDnn}) is active in this module
 * and computes the same outputs and gradients as DL4J's built-in im2col convolutions.
 */
class OneDnnConvolutionTest {

    @AfterEach
    void restoreHelpers() {
        System.setProperty(OneDnn.HELPERS_DISABLED_PROPERTY, "false");
    }

    private static MultiLayerNetwork vgg(boolean helpers, boolean ntk) {
        System.setProperty(OneDnn.HELPERS_DISABLED_PROPERTY, Boolean.toString(!helpers));
        MultiLayerNetwork net = new MultiLayerNetwork(Vgg.configuration(Vgg.Spec.vgg11(16, ntk, 5)));
        net.init();
        return net;
    }

    @Test
    void oneDnnHelpersAreActive() {
        assertTrue(OneDnn.nativesOnClasspath());
        assertTrue(OneDnn.helpersActive(), OneDnn.describe());
        assertNotNull(((ConvolutionLayer) vgg(true, false).getLayer(0)).getHelper());
        assertNull(((ConvolutionLayer) vgg(false, false).getLayer(0)).getHelper());
    }

    /** Requested but switched off: verify() fails and names the switch instead of running slowly without a word. */
    @Test
    void aRequestedButInactiveOneDnnIsAnErrorNamingTheCause() {
        assertTrue(OneDnn.configure());
        org.junit.jupiter.api.Assertions.assertDoesNotThrow(OneDnn::verify);
        System.setProperty(OneDnn.HELPERS_DISABLED_PROPERTY, "true");
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                OneDnn::verify);
        assertTrue(e.getMessage().contains(OneDnn.HELPERS_DISABLED_PROPERTY + "=true")
                && e.getMessage().contains(OneDnn.ENABLE_PROPERTY + "=false"), e.getMessage());
    }

    @ParameterizedTest(name = "ntk={0}")
    @ValueSource(booleans = {false, true})
    void oneDnnMatchesIm2colForwardAndBackward(boolean ntk) {
        MultiLayerNetwork fast = vgg(true, ntk);
        MultiLayerNetwork reference = vgg(false, ntk);
        assertEquals(reference.params(), fast.params());
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.randn(4, 3, 32, 32);
        INDArray y = Nd4j.eye(10).getRows(1, 4, 7, 9);
        INDArray outFast = fast.output(x);
        INDArray outRef = reference.output(x);
        assertEquals(0.0, outFast.sub(outRef).amaxNumber().doubleValue(), 1e-5);

        fast.setInput(x);
        fast.setLabels(y);
        fast.computeGradientAndScore();
        reference.setInput(x);
        reference.setLabels(y);
        reference.computeGradientAndScore();
        assertEquals(reference.score(), fast.score(), 1e-5);
        Gradient gf = fast.gradient();
        Gradient gr = reference.gradient();
        for (String key : gr.gradientForVariable().keySet()) {
            INDArray a = gf.getGradientFor(key);
            INDArray b = gr.getGradientFor(key);
            double scale = Math.max(1e-6, b.amaxNumber().doubleValue());
            assertEquals(0.0, a.sub(b).amaxNumber().doubleValue() / scale, 1e-3, "gradient " + key);
        }
    }
}
