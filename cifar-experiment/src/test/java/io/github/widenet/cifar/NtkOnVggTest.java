package io.github.widenet.cifar;

import io.github.widenet.cifar.model.Vgg;
import io.github.widenet.nd4j.OneDnn;
import io.github.widenet.ntk.EmpiricalNtk;
import io.github.widenet.ntk.JacobianProducts;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The NTK of the experiment's VGG (float32, NHWC, on oneDNN as the CIFAR commands run it): the explicit Gram matrix of
 * {@link EmpiricalNtk} (a second backward pass after one forward pass read released oneDNN state: NaN in 891 of 900
 * entries) and the matrix-free product J(Jᵀu) of {@link JacobianProducts} agree.
 */
class NtkOnVggTest {

    @Test
    void explicitGramAndMatrixFreeProductsAgreeOnOneDnn() {
        OneDnn.configure();
        MultiLayerNetwork net = new MultiLayerNetwork(Vgg.configuration(Vgg.Spec.vgg11(16, false, 1), new Sgd(0.01),
                CNN2DFormat.NHWC));
        net.init();
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.randn(DataType.FLOAT, 3, 32, 32, 3);
        INDArray u = Nd4j.randn(DataType.DOUBLE, 3, 10);
        INDArray gram = EmpiricalNtk.of(net, 2).gram(x, EmpiricalNtk.Output.FULL).castTo(DataType.DOUBLE);
        assertTrue(!gram.isNaN().any() && !gram.isInfinite().any(), "the Gram matrix holds NaN or Inf");

        JacobianProducts jac = JacobianProducts.of(net);
        INDArray g = Nd4j.zeros(DataType.DOUBLE, jac.numParams());
        jac.at(x).addVjp(u, g);
        INDArray thetaU = jac.at(x).jvp(g);
        INDArray viaGram = gram.mmul(u.reshape(-1, 1)).reshape(3, 10);
        double err = thetaU.sub(viaGram).norm2Number().doubleValue() / viaGram.norm2Number().doubleValue();
        assertTrue(err < 1e-5, "J(Jᵀu) vs Θu: relative difference " + err);
    }
}
