package io.github.widenet.cifar.model;

import io.github.widenet.layers.BatchNormMode;
import io.github.widenet.lazy.LazyWrapper;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResNetTest {

    private static ComputationGraph net(int divisor, CNN2DFormat format) {
        return net(divisor, format, Vgg.Loss.CE);
    }

    private static ComputationGraph net(int divisor, CNN2DFormat format, Vgg.Loss loss) {
        ComputationGraph g = new ComputationGraph(ResNet.resnet18(divisor, 3, DataType.DOUBLE, Vgg.Init.HE,
                loss, new Sgd(0.01), format));
        g.init();
        return g;
    }

    /**
     * The parameter count from the architecture's definition, counted by hand: a 3×3 stem, eight basic blocks (two 3×3
     * convolutions each, BatchNorm after each with γ, β, mean and variance), 1×1 projections where the width or stride
     * changes, and a 10-way classifier with bias.
     */
    @Test
    void parameterCountIsResNet18s() {
        int d = 8;
        int[] c = {64 / d, 128 / d, 256 / d, 512 / d};
        long expected = 3L * 3 * 3 * c[0] + 4L * c[0];
        int in = c[0];
        for (int s = 0; s < 4; s++) {
            for (int b = 0; b < 2; b++) {
                expected += 9L * in * c[s] + 4L * c[s] + 9L * c[s] * c[s] + 4L * c[s];
                if (in != c[s]) {
                    expected += (long) in * c[s] + 4L * c[s];
                }
                in = c[s];
            }
        }
        expected += (long) in * 10 + 10;
        assertEquals(expected, net(d, CNN2DFormat.NCHW).numParams());
    }

    @Test
    void bothLayoutsComputeTheSameFunction() {
        ComputationGraph nchw = net(16, CNN2DFormat.NCHW);
        ComputationGraph nhwc = net(16, CNN2DFormat.NHWC);
        nhwc.setParams(nchw.params());       // the same arrays: 3×3 kernels and BN vectors are layout-free in DL4J
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, 32, 32);
        INDArray a = nchw.outputSingle(x);
        INDArray b = nhwc.outputSingle(x.permute(0, 2, 3, 1).dup('c'));
        assertArrayEquals(new long[]{2, 10}, a.shape());
        assertTrue(a.equalsWithEps(b, 1e-9), a + " vs " + b);
    }

    /** The lazy model's logits are exactly 0 at initialisation in both BatchNorm modes (h(w) and h(w0) alike). */
    @Test
    void lazyOutputIsZeroAtInitInBothBatchNormModes() {
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 3, 32, 32);
        for (BatchNormMode mode : BatchNormMode.values()) {
            ComputationGraph lazy = LazyWrapper.builder().alpha(100).batchNormMode(mode)
                    .wrap(net(32, CNN2DFormat.NCHW, Vgg.Loss.MSE));          // identity output: the logits themselves
            INDArray out = lazy.outputSingle(x);
            assertEquals(0, out.norm2Number().doubleValue(), 0, mode + ": " + out);
        }
    }

    @Test
    void divisorsThatDoNotDivideTheWidthsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net(3, CNN2DFormat.NCHW));
        assertTrue(e.getMessage().contains("divide 64") && e.getMessage().contains("3"), e.getMessage());
    }
}
