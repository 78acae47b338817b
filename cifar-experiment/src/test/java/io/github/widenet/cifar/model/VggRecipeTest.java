package io.github.widenet.cifar.model;

import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** --init and --loss: the weight variances of He and Xavier normal, zero biases, the squared-loss classifier. */
class VggRecipeTest {

    private static MultiLayerNetwork net(Vgg.Init init, Vgg.Loss loss) {
        MultiLayerNetwork n = new MultiLayerNetwork(Vgg.configuration(Vgg.Spec.vgg11(2, false, 7)
                .withRecipe(init, loss)));
        n.init();
        return n;
    }

    /** Sample standard deviation of the weights of layer {@code i}; its biases must be exactly 0. */
    private static double weightSd(MultiLayerNetwork n, int i) {
        assertEquals(0.0, n.getLayer(i).getParam("b").amaxNumber().doubleValue(), 0.0, "bias of layer " + i);
        INDArray w = n.getLayer(i).getParam("W").castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        return w.stdNumber().doubleValue();
    }

    @Test
    void xavierAndHeHaveTheirVariances() {
        MultiLayerNetwork xavier = net(Vgg.Init.XAVIER, Vgg.Loss.CE);
        MultiLayerNetwork he = net(Vgg.Init.HE, Vgg.Loss.CE);
        // layer 2 of VGG-11/2: 32 -> 64 channels, 3x3: fan_in 288, fan_out 576; layer 4: 64 -> 128
        int[][] fans = {{2, 32 * 9, 64 * 9}, {4, 64 * 9, 128 * 9}};
        for (int[] f : fans) {
            double xavierSd = Math.sqrt(2.0 / (f[1] + f[2]));
            double heSd = Math.sqrt(2.0 / f[1]);
            // tens of thousands of weights: the sample sd is within 2% of the truth
            assertEquals(xavierSd, weightSd(xavier, f[0]), 0.02 * xavierSd, "Xavier layer " + f[0]);
            assertEquals(heSd, weightSd(he, f[0]), 0.02 * heSd, "He layer " + f[0]);
        }
        // the classifier: Xavier in both, zero bias
        int last = xavier.getnLayers() - 1;
        assertEquals(weightSd(he, last), weightSd(xavier, last), 0.2 * weightSd(he, last));
    }

    @Test
    void squaredLossHasAnIdentityOutput() {
        MultiLayerNetwork n = net(Vgg.Init.XAVIER, Vgg.Loss.MSE);
        BaseOutputLayer out = (BaseOutputLayer) n.getLayerWiseConfigurations()
                .getConf(n.getnLayers() - 1).getLayer();
        assertInstanceOf(LossMSE.class, out.getLossFn());
        assertInstanceOf(ActivationIdentity.class, out.getActivationFn());
        assertEquals("VGG-11/2, Xavier init, squared loss", Vgg.Spec.vgg11(2, false, 7)
                .withRecipe(Vgg.Init.XAVIER, Vgg.Loss.MSE).describe());
    }

    @Test
    void ntkRefusesXavier() {
        assertThrows(IllegalArgumentException.class, () -> Vgg.Spec.vgg11(2, true, 7)
                .withRecipe(Vgg.Init.XAVIER, Vgg.Loss.CE));
    }
}
